/** The letter shown in an avatar: the name's first character, in capitals; "?" for no name. */
export function initial(name: string): string {
  return (name.trim()[0] ?? '?').toLocaleUpperCase();
}
