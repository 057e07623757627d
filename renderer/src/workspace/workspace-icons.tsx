/** Icons of the workspace screen (16px, stroke = currentColor), in the style of components/Icons. */
import { Svg, type IconProps } from '../components/Icons';

export const FileIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 1.8h5l3 3v9.4H4z" />
    <path d="M9 1.8v3h3" />
  </Svg>
);

export const FolderIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M1.8 4.2c0-.7.5-1.2 1.2-1.2h3l1.5 1.6H13c.7 0 1.2.5 1.2 1.2v6.2c0 .7-.5 1.2-1.2 1.2H3c-.7 0-1.2-.5-1.2-1.2z" />
  </Svg>
);

export const ChevronRightIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6 3.5L10.5 8 6 12.5" />
  </Svg>
);

export const NewFileIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M9 14.2H4V1.8h5l3 3V8" />
    <path d="M12 10v4.4M9.8 12.2h4.4" />
  </Svg>
);

export const NewFolderIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 13H3c-.7 0-1.2-.5-1.2-1.2V4.2c0-.7.5-1.2 1.2-1.2h3l1.5 1.6H13c.7 0 1.2.5 1.2 1.2V8" />
    <path d="M12 9.6v4.4M9.8 11.8h4.4" />
  </Svg>
);

export const PencilIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M10.8 2.6l2.6 2.6-7.8 7.8H3v-2.6z" />
  </Svg>
);

export const TrashIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.8 9.5h6.4L12 4" />
  </Svg>
);

export const CloseIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 4l8 8M12 4l-8 8" />
  </Svg>
);

export const PlayIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4.5 2.8v10.4L13 8z" fill="currentColor" />
  </Svg>
);

export const SaveIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2.5 2.5h9l2 2v9h-11z" />
    <path d="M5 2.5v3.5h5V2.5M5 13.5V9.5h6v4" />
  </Svg>
);

export const LinkIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6.5 9.5l3-3M5.5 7.5l-1.8 1.8a2.1 2.1 0 003 3l1.8-1.8M10.5 8.5l1.8-1.8a2.1 2.1 0 00-3-3L7.5 5.5" />
  </Svg>
);
