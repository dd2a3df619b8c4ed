// Users as the contract shows them: a public profile, or the private view of
// your own account. A picture is a URL under /media, or the default avatar.
import type { User } from '../repositories/users.js';
import type { UserPrivateBody, UserPublicBody } from '../schemas/users.js';

export const MEDIA_URL_PREFIX = '/media/profile_pics/';
export const DEFAULT_AVATAR_URL = '/static/profile_pics/default.jpg';

export function imagePath(imageFile: string | null): string {
  return imageFile ? `${MEDIA_URL_PREFIX}${imageFile}` : DEFAULT_AVATAR_URL;
}

export function toUserPublic(user: { id: number; username: string; image_file: string | null }): UserPublicBody {
  return { id: user.id, username: user.username, image_file: user.image_file, image_path: imagePath(user.image_file) };
}

export function toUserPrivate(user: User): UserPrivateBody {
  return {
    ...toUserPublic(user),
    email: user.email,
    role: user.role,
    two_factor: user.two_factor_enabled_at !== null,
  };
}
