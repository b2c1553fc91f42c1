// Module hooks for loading the route modules in plain Node (bench/lib/pages.ts):
// Vite turns `import href from './x.css?url'` into a URL string; here it
// becomes a stub, since only the loaders run.
export async function resolve(specifier, context, next) {
  if (/\.css\?url$/.test(specifier)) {
    return { url: 'data:text/javascript,export default "/bench-stub.css"', shortCircuit: true };
  }
  return next(specifier, context);
}
