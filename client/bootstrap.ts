// The Bootstrap plugins the pages use, and only those, from Bootstrap's ES
// module sources: esbuild then leaves out the rest of Bootstrap (its bundle,
// bootstrap.esm.js, registers every plugin when loaded, so nothing of it could
// be left out). Each plugin, once imported, also answers its data-bs-*
// attributes: Collapse the navigation toggler, Dropdown the theme menu.
import Collapse from 'bootstrap/js/src/collapse.js';
import Dropdown from 'bootstrap/js/src/dropdown.js';
import Modal from 'bootstrap/js/src/modal.js';
import Tab from 'bootstrap/js/src/tab.js';
import Toast from 'bootstrap/js/src/toast.js';

export { Collapse, Dropdown, Modal, Tab, Toast };
