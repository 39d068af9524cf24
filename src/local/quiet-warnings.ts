// Imported first by the local entry point: the AWS SDK warns at import time that its releases after
// January 2027 need Node 22. That is true and tracked (Lambda runs nodejs24.x); locally it only
// drowns the start-up output, so this one warning type is dropped. Every other warning still shows.
const emit = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  // The SDK passes no type; its message starts with the type's name.
  if (type === 'NodeVersionSupportWarning' || String(warning).startsWith('NodeVersionSupportWarning')) return;
  (emit as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
export {};
