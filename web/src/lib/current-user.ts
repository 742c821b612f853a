import { createContext, useContext } from 'react';
import type { User } from '../types';

/** Who is signed in: the session's user, or null for an API token (which is no user's). */
export const CurrentUserContext = createContext<User | null>(null);

export const useCurrentUser = (): User | null => useContext(CurrentUserContext);
