/** Icons of promote, lineage and compare, drawn in the shared icon frame. */
import { Svg, type IconProps } from '../components/Icons';

/** An arrow up onto a stack: "send this job to a cluster". */
export const PromoteIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 10V2.5M4.8 5.5L8 2.5l3.2 3" />
    <path d="M2.5 10.5v2a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1v-2" />
  </Svg>
);

/** Two columns side by side. */
export const CompareIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="2" y="2.5" width="5" height="11" rx="1" />
    <rect x="9" y="2.5" width="5" height="11" rx="1" />
  </Svg>
);
