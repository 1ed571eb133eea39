let counter = 0;

/** A unique mailbox address for one test. */
export const uniqueAddress = (name: string, domain = 'gmail.test') => `${name}-${Date.now().toString(36)}${(counter++).toString(36)}@${domain}`;
