import { describe, expect, it } from 'vitest';
import { clampRunWidth, FOLDED_TREE_WIDTH, MIN_EDITOR, MIN_RUN, TREE_WIDTH } from './run-width';

describe('run panel width', () => {
  it('half of what the tree leaves by default, within the editor\'s and its own minimum', () => {
    expect(clampRunWidth(null, 1060)).toBe(440); // a 1280 px window: (1060 - 180) / 2
    expect(clampRunWidth(900, 1060)).toBe(1060 - TREE_WIDTH - MIN_EDITOR);
    expect(clampRunWidth(100, 1060)).toBe(MIN_RUN);
    expect(clampRunWidth(null, 600)).toBe(MIN_RUN); // too narrow for both: the run panel keeps its minimum
    expect(clampRunWidth(null, 1060, FOLDED_TREE_WIDTH)).toBe(515); // the tree folded away: more for both
  });
});
