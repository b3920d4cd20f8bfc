/**
 * What every port of a SimPy program exports: it runs the program, printing through `print`,
 * which writes `text` then `end` (default a newline), as Python's `print(text, end=end)`.
 */
export type Port = (print: (text: string, end?: string) => void) => void
