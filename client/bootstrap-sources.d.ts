// Bootstrap's sources carry no types; they are the code @types/bootstrap describes.
declare module 'bootstrap/js/src/collapse.js' {
  export { Collapse as default } from 'bootstrap';
}
declare module 'bootstrap/js/src/dropdown.js' {
  export { Dropdown as default } from 'bootstrap';
}
declare module 'bootstrap/js/src/modal.js' {
  export { Modal as default } from 'bootstrap';
}
declare module 'bootstrap/js/src/tab.js' {
  export { Tab as default } from 'bootstrap';
}
declare module 'bootstrap/js/src/toast.js' {
  export { Toast as default } from 'bootstrap';
}
