// What a user needs right after logging in: the app layout and the home page. The login page fetches them while the
// user types (after the form shows), so the first page after login does not wait for two downloads in a row;
// App.tsx's lazy routes use the same loaders, so each chunk is fetched once.
export const loadAppLayout = () => import('./layout/AppLayout');
export const loadHome = () => import('./pages/Home');

export function preloadAfterLogin(): void {
  void loadAppLayout().catch(() => undefined);
  void loadHome().catch(() => undefined);
}
