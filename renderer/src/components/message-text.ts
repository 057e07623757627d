/** Engine messages mark commands and fields with backticks: "run `kfd serve`". Pure (tested). */
export type TextPart = { code: boolean; text: string };

export function splitCodeSpans(message: string): TextPart[] {
  const parts: TextPart[] = [];
  const re = /`([^`\n]+)`/g;
  let last = 0;
  for (let m = re.exec(message); m; m = re.exec(message)) {
    if (m.index > last) parts.push({ code: false, text: message.slice(last, m.index) });
    parts.push({ code: true, text: m[1] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < message.length) parts.push({ code: false, text: message.slice(last) });
  return parts;
}
