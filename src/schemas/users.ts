import { Type, type Static } from 'typebox';
import { Id, NO_NUL, Text } from './common.js';

// The fields of an account, with their limits: the API validates them, the
// pages derive their form attributes from them, import checks files with them.
export const Username = Text(1, 50, 'Unique, case-insensitively');
export const Email = Type.String({
  format: 'email',
  maxLength: 120,
  description: 'Unique, case-insensitively; stored lower-cased',
});
export const Password = Type.String({ minLength: 8, maxLength: 128 });

const identity = { id: Type.Integer(), username: Type.String() };
const picture = {
  image_file: Type.Union([Type.String(), Type.Null()]),
  image_path: Type.String({ description: 'URL of the profile picture, or of the default avatar' }),
};

export const UserPublic = Type.Object({ ...identity, ...picture }, { $id: 'UserPublic' });
export const ROLES = ['user', 'admin'] as const;
export const Role = Type.Enum(ROLES, {
  description: 'An admin may also edit and delete any post, delete any account, and use /api/admin',
});
/** What the user sees of their own account: the public profile, the email, the role and whether two-factor sign-in is on. */
export const UserPrivate = Type.Object(
  {
    ...identity,
    email: Type.String(),
    ...picture,
    role: Role,
    two_factor: Type.Boolean({ description: 'Whether signing in takes a two-factor code (TOTP)' }),
  },
  { $id: 'UserPrivate' },
);

export const UserCreate = Type.Object({
  username: Username,
  email: Email,
  password: Password,
  invite: Type.Optional(
    Type.String({
      maxLength: 200,
      pattern: NO_NUL,
      description:
        'With REGISTRATION=invite: the token of the invitation link (its ?invite=), which must be for this email; otherwise ignored',
    }),
  ),
});
export const UserUpdate = Type.Object({ username: Type.Optional(Username), email: Type.Optional(Email) });

export const PasswordChange = Type.Object({
  current_password: Type.String({ maxLength: 1024 }),
  new_password: Password,
});

export const TokenForm = Type.Object({
  username: Type.String({ description: 'The account email', maxLength: 320, pattern: NO_NUL }),
  password: Type.String({ maxLength: 1024 }),
  otp: Type.Optional(
    Type.String({
      maxLength: 64,
      pattern: NO_NUL,
      description:
        'With two-factor sign-in on: a six-digit code from the authenticator app, or an unused recovery code',
    }),
  ),
});

export const PasswordResetRequest = Type.Object({ email: Email });
/** A reset token as the mail's link carries it: 43 base64url characters. */
export const ResetToken = Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL });
export const PasswordResetConfirm = Type.Object({ token: ResetToken, new_password: Password });

export const Token = Type.Object({ access_token: Type.String(), token_type: Type.Literal('bearer') }, { $id: 'Token' });

/** The multipart form of a picture upload: one file in the field `file`. */
export const PICTURE_FIELD = 'file';
export const PictureUpload = Type.Object({
  [PICTURE_FIELD]: Type.String({
    contentMediaType: 'application/octet-stream',
    description: 'A JPEG, PNG, GIF or WebP image',
  }),
});

export const UserIdParams = Type.Object({ user_id: Id('User id') });

export type UserPublicBody = Static<typeof UserPublic>;
export type UserPrivateBody = Static<typeof UserPrivate>;
export type UserCreateBody = Static<typeof UserCreate>;
export type UserUpdateBody = Static<typeof UserUpdate>;
