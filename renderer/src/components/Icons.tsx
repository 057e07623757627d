/** Inline SVG icons (16px, stroke = currentColor): no icon font, nothing fetched. */
import type { ReactNode, SVGProps } from 'react';

export type IconProps = SVGProps<SVGSVGElement> & { size?: number };

/** The shared frame of every icon; other icon files draw inside it. */
export function Svg({ size = 16, children, ...rest }: IconProps & { children: ReactNode }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

export const JobsIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="2" y="2.5" width="12" height="11" rx="1.5" />
    <path d="M6.5 5.8v4.4L10.2 8z" />
  </Svg>
);

export const WorkspaceIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M1.8 4.2c0-.7.5-1.2 1.2-1.2h3l1.5 1.6H13c.7 0 1.2.5 1.2 1.2v6.2c0 .7-.5 1.2-1.2 1.2H3c-.7 0-1.2-.5-1.2-1.2z" />
  </Svg>
);

export const NotebooksIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="3" y="1.8" width="10" height="12.4" rx="1.2" />
    <path d="M5.8 1.8v12.4M8 5h3M8 7.5h3" />
  </Svg>
);

export const ExperimentsIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2 13.5h12M4 13.5V9M7 13.5V5M10 13.5V7.5M13 13.5V3" />
    <circle cx="13" cy="3" r="1.2" />
  </Svg>
);

export const PipelinesIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="1.5" y="6" width="4" height="4" rx="1" />
    <rect x="10.5" y="2" width="4" height="4" rx="1" />
    <rect x="10.5" y="10" width="4" height="4" rx="1" />
    <path d="M5.5 8h2.2c.6 0 1-.4 1-1V5c0-.6.4-1 1-1h1M7.7 8h.3c.6 0 1 .4 1 1v2c0 .6.4 1 1 1h.5" />
  </Svg>
);

export const ModelsIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 1.8l5.5 3v6.4L8 14.2l-5.5-3V4.8z" />
    <path d="M2.5 4.8L8 7.9l5.5-3.1M8 7.9v6.3" />
  </Svg>
);

export const ClusterIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 1.6l5.6 3.2v6.4L8 14.4l-5.6-3.2V4.8z" />
    <circle cx="8" cy="8" r="2" />
  </Svg>
);

export const DoctorIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M1.5 8.5h3l1.5-3.5 2.5 6 1.7-4 1 1.5h3.3" />
  </Svg>
);

export const SettingsIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="2.2" />
    <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
  </Svg>
);

export const CheckIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M3.2 8.4l3 3 6.6-6.8" />
  </Svg>
);

export const WarningIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 2.2l6.2 11H1.8z" />
    <path d="M8 6.5v3M8 11.4v.1" />
  </Svg>
);

export const MissingIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6" />
    <path d="M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4" />
  </Svg>
);

export const CopyIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="5.5" y="5.5" width="8" height="8" rx="1.2" />
    <path d="M10.5 3.5v-.3c0-.7-.5-1.2-1.2-1.2H3.7c-.7 0-1.2.5-1.2 1.2v5.6c0 .7.5 1.2 1.2 1.2H4" />
  </Svg>
);

export const RefreshIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v3h-3" />
  </Svg>
);

export const FolderOpenIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2 12.5V4c0-.6.4-1 1-1h3l1.5 1.5H12c.6 0 1 .4 1 1V7" />
    <path d="M2 12.5l2-5h10.5l-2 5z" />
  </Svg>
);

export const LogoIcon = (p: IconProps) => (
  <Svg {...p} strokeWidth={1.6}>
    <path d="M8 1.5l5.8 3.3v6.4L8 14.5l-5.8-3.3V4.8z" />
    <path d="M6 5v6M6 8l3.5-3M7.4 6.9L10 11" />
  </Svg>
);

/** Spinner: a rotating arc (animation off under prefers-reduced-motion). */
export const Spinner = ({ size = 14, ...p }: IconProps) => (
  <Svg size={size} {...p} className={`spinner ${p.className ?? ''}`} strokeWidth={2}>
    <path d="M8 2a6 6 0 1 1-6 6" />
  </Svg>
);

export const StopIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="4" y="4" width="8" height="8" rx="1" />
  </Svg>
);

export const RerunIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2.5 8a5.5 5.5 0 1 0 1.6-3.9M2.5 2.5v3h3" />
  </Svg>
);

export const SearchIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="7" cy="7" r="4.2" />
    <path d="M10.2 10.2l3.6 3.6" />
  </Svg>
);

export const BackIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M9.8 3.5L5.3 8l4.5 4.5" />
  </Svg>
);

export const ChevronUpIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 10l4-4 4 4" />
  </Svg>
);

export const ChevronDownIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 6l4 4 4-4" />
  </Svg>
);

/** A hollow circle: waiting (Created, Pending). */
export const CircleIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="5" />
  </Svg>
);

/** A circle with a bar: cancelled. */
export const CancelledIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6" />
    <path d="M5 8h6" />
  </Svg>
);

export const FollowIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 2.5v9M4.5 8L8 11.5 11.5 8M3.5 13.5h9" />
  </Svg>
);

export const WrapIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2.5 4h11M2.5 8h9a2 2 0 0 1 0 4H8M9.5 10.5L8 12l1.5 1.5M2.5 12h3" />
  </Svg>
);
