// Vite's `?raw` import: the file's text.
declare module '*.sql?raw' {
  const sql: string;
  export default sql;
}
