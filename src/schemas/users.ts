import { Type, type Static } from 'typebox';
import { Id, NO_NUL, Text } from './common.js';

export const UserPublic = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    image_file: Type.Union([Type.String(), Type.Null()]),
    image_path: Type.String({ description: 'URL of the profile picture, or of the default avatar' }),
  },
  { $id: 'UserPublic' },
);

export const UserPrivate = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    email: Type.String(),
    image_file: Type.Union([Type.String(), Type.Null()]),
    image_path: Type.String(),
  },
  { $id: 'UserPrivate' },
);

const Username = Text(1, 50, 'Unique, case-insensitively');
const Email = Type.String({ format: 'email', maxLength: 120, description: 'Unique, case-insensitively; stored lower-cased' });
export const Password = Type.String({ minLength: 8, maxLength: 128 });

export const UserCreate = Type.Object({ username: Username, email: Email, password: Password });
export const UserUpdate = Type.Object({ username: Type.Optional(Username), email: Type.Optional(Email) });

export const PasswordChange = Type.Object({
  current_password: Type.String({ maxLength: 1024 }),
  new_password: Password,
});

export const TokenForm = Type.Object({
  username: Type.String({ description: 'The account email', maxLength: 320, pattern: NO_NUL }),
  password: Type.String({ maxLength: 1024 }),
});

export const Token = Type.Object(
  { access_token: Type.String(), token_type: Type.Literal('bearer') },
  { $id: 'Token' },
);

export const UserIdParams = Type.Object({ user_id: Id('User id') });

export type UserPublicBody = Static<typeof UserPublic>;
export type UserPrivateBody = Static<typeof UserPrivate>;
export type UserCreateBody = Static<typeof UserCreate>;
export type UserUpdateBody = Static<typeof UserUpdate>;
