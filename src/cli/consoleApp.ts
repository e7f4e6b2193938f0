// The root component the console renders (kept apart so the command's lazy imports name one module).
export { App } from '../../screens/App.ts';
