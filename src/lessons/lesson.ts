/**
 * A parsed, validated lesson: what the lesson panel renders and the autopilot plays.
 * docs/LESSON-FORMAT.md describes the file format these come from.
 */
import type { Language, Level, Localized } from './catalog';
import type { CheckExpr } from './check/ast';
import type { SourcePos } from './diagnostics';
import type { WorldAction, WorldSpec } from './world-view';

export interface LessonMeta {
  id: string;
  title: Localized;
  summary: Localized | null;
  labs: string[];
  /** Source documents (file names in shared/seeds). */
  sources: string[];
  level: Level;
  /** Lessons to do first (ids). */
  requires: string[];
  /** Default seed; the autopilot also plays seed+1, seed+2, ... */
  seed: number;
  world: WorldSpec;
}

/** Markdown prose in one language, with the file line it starts on (for the editor). */
export interface Prose {
  markdown: string;
  line: number;
}

/** A line typed into a host's terminal: `host$ line` (shell) or `host> line` (the program). */
export interface TerminalLine {
  host: string;
  mode: 'shell' | 'program';
  line: string;
  pos: SourcePos;
}

export interface Check {
  expr: CheckExpr;
  /** The check's own source text. */
  source: string;
  /** Position of the check's first character. */
  pos: SourcePos;
  /** `still`: may already hold before the step. */
  still: boolean;
}

export type SolutionLine =
  | ({ kind: 'type' } & TerminalLine)
  | { kind: 'act'; action: WorldAction; pos: SourcePos; text: string }
  | { kind: 'wait-until'; condition: Check; timeoutMs: number; pos: SourcePos; text: string };

export interface PredictChoice {
  text: Localized;
  when: Check;
}

export interface Predict {
  question: Localized;
  choices: PredictChoice[];
  explain: Localized | null;
  pos: SourcePos;
}

/** `## intro` and `## remember`: prose only (the intro may offer commands to try). */
export interface TextSection {
  title: Localized | null;
  prose: Record<Language, Prose>;
  tries: TerminalLine[];
  pos: SourcePos;
}

export interface Step {
  id: string;
  title: Localized;
  prose: Record<Language, Prose>;
  /** Commands offered as clickable lines (the same ones in each language). */
  tries: TerminalLine[];
  checks: Check[];
  solution: SolutionLine[];
  hints: Localized[];
  predicts: Predict[];
  pos: SourcePos;
}

export interface Lesson {
  file: string;
  meta: LessonMeta;
  intro: TextSection | null;
  steps: Step[];
  remember: TextSection;
}
