// Building blocks shared by the pages.
export { FormCard, FormError, formFields, type FormState } from './forms.js';
export { Modal, ModalForm } from './modal.js';
export { Avatar, PostCard, PostList, postListProps } from './posts.js';
