// The key a request to Bull Board offers: `Authorization: Bearer <key>` like the API, or HTTP
// Basic with the key as the password (any user name), which is what a browser can send.
const KEY = /^[\x21-\x7e]{1,512}$/;

export function offeredKey(header: string | undefined): string | null {
  const match = /^(\w+) +(\S+)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  const [, scheme, value] = match;
  if (/^bearer$/i.test(scheme)) return KEY.test(value) ? value : null;
  if (!/^basic$/i.test(scheme)) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = decoded.slice(colon + 1);
  return colon >= 0 && KEY.test(password) ? password : null;
}
