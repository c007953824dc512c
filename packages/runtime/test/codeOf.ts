import { RunError } from '../src/index.js';

/** The code of the RunError `fn` throws, or `accepted` when it throws nothing (any other error is rethrown). */
export const codeOf = (fn: () => void): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RunError) return error.code;
    throw error;
  }
  return 'accepted';
};
