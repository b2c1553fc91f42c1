import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';

// Every Remix v2 future flag is on so the later move to React Router 7 is
// mostly renames. v3_routeConfig is the exception: it needs the
// @remix-run/fs-routes package to keep file-based routes, which is not a
// dependency yet.
declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      buildDirectory: 'build',
      serverBuildFile: 'index.js',
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  // Keep the dev server's file watcher off the embedded database and test output.
  server: { watch: { ignored: ['**/.leadpath/**', '**/test-results/**'] } },
});
