/**
 * Rules across lessons: ids are unique, `requires:` names existing lessons without cycles, and
 * the course map orders lessons so that every lesson comes after the ones it requires.
 */
import type { Diagnostic } from './diagnostics';
import type { Lesson } from './lesson';

function at(lesson: Lesson, message: string): Diagnostic {
  // The front matter starts on line 2; ids and requires are short, so line 2 is close enough.
  return { file: lesson.file, line: 2, column: 1, message };
}

export function validateCourse(lessons: readonly Lesson[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byId = new Map<string, Lesson>();
  for (const l of lessons) {
    const other = byId.get(l.meta.id);
    if (other) out.push(at(l, `lesson id "${l.meta.id}" is also used by ${other.file}`));
    else byId.set(l.meta.id, l);
  }
  for (const l of lessons) {
    for (const r of l.meta.requires) {
      if (r === l.meta.id) out.push(at(l, `lesson "${r}" cannot require itself`));
      else if (!byId.has(r)) out.push(at(l, `requires unknown lesson "${r}"`));
    }
  }
  // Cycles: depth-first search with colours.
  const colour = new Map<string, 'grey' | 'black'>();
  const visit = (id: string, path: string[]): void => {
    if (colour.get(id) === 'black') return;
    if (colour.get(id) === 'grey') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      out.push(at(byId.get(id)!, `lessons require each other in a circle: ${cycle.join(' -> ')}`));
      return;
    }
    colour.set(id, 'grey');
    for (const r of byId.get(id)?.meta.requires ?? []) if (byId.has(r) && r !== id) visit(r, [...path, id]);
    colour.set(id, 'black');
  };
  for (const id of byId.keys()) visit(id, []);
  return out;
}

/**
 * Lessons in course order: by first lab (A1..D4 order as given), then id, with every lesson
 * moved after the lessons it requires. Assumes validateCourse passed.
 */
export function courseOrder(lessons: readonly Lesson[], labOrder: readonly string[]): Lesson[] {
  const rank = (l: Lesson) => Math.min(...l.meta.labs.map((lab) => labOrder.indexOf(lab)).filter((i) => i >= 0), Infinity);
  const sorted = [...lessons].sort((a, b) => rank(a) - rank(b) || a.meta.id.localeCompare(b.meta.id));
  const byId = new Map(sorted.map((l) => [l.meta.id, l]));
  const placed = new Set<string>();
  const out: Lesson[] = [];
  const place = (l: Lesson) => {
    if (placed.has(l.meta.id)) return;
    placed.add(l.meta.id);
    for (const r of l.meta.requires) {
      const dep = byId.get(r);
      if (dep) place(dep);
    }
    out.push(l);
  };
  sorted.forEach(place);
  return out;
}
