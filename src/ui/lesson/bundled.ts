/**
 * The lessons shipped with the page: every `lessons/*.md`, bundled as text by Vite (so they
 * work offline like everything else).
 */
import { lessonSources } from './loader';

const files = import.meta.glob('/lessons/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const BUNDLED_LESSONS = lessonSources(files);
