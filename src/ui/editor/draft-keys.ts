/** Where the lesson editor keeps its draft in localStorage (and the sandbox recorder leaves a recorded lesson). */
export const DRAFT_KEY = 'halab.editor.draft';
/** The draft before the last New / open / import replaced it (one level of undo). */
export const PREVIOUS_DRAFT_KEY = 'halab.editor.previous';
