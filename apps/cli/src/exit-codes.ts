// The CLI's exit codes, shared by every command.
export const EXIT_OK = 0;
/** A problem found, or nothing to show. */
export const EXIT_PROBLEM = 1;
/** Usage, configuration or connection error. */
export const EXIT_ERROR = 2;
