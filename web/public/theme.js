/* global document */
// Applies the theme picked in the header before the first paint, so a page never flashes in the other
// theme. A classic script in <head> (not a module, and not inline: the CSP allows scripts from the
// console's origin only), so the browser runs it before it draws anything. The key and the values are
// web/src/lib/theme.ts's. The system's scheme needs nothing: the stylesheet follows it by itself.
try {
  var theme = localStorage.getItem('ray-console.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // Storage may be refused (a privacy setting): the system's scheme applies.
}
