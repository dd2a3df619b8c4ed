// Stands in for Popper (@popperjs/core) in the bundle; scripts/build-client.mjs
// aliases it. Bootstrap's Dropdown always calls Popper.createPopper, but a
// dropdown inside a navbar (or with data-bs-display="static") is placed by CSS:
// Bootstrap switches Popper's styles off there. The site's only dropdown is
// the navbar's theme menu, so this no-op keeps Bootstrap's calls working and
// leaves about 3 KB of compressed script off every page. A dropdown placed
// anywhere else needs the real Popper back.
export function createPopper() {
  return {
    update() {
      // nothing to place: CSS positions the menu
    },
    destroy() {
      // nothing was set up
    },
  };
}
