/** What every port of a SimPy program exports: it runs the program, printing through `print`. */
export type Port = (print: (text: string) => void) => void
