import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { isLang, languageCookie } from '../i18n/i18n';

// POST /language (lang, redirectTo): remembers the interface language in the
// lp_lang cookie and goes back to the page it came from. Only same-site
// paths are followed, so this is no open redirect. A resource route: a bad
// request gets a plain 400.
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = form.get('lang');
  if (!isLang(lang)) throw new Response('Unknown language.', { status: 400, statusText: 'Bad Request' });
  return redirect(safePath(form.get('redirectTo')), { headers: { 'Set-Cookie': languageCookie(lang) } });
}

export function loader() {
  return redirect('/');
}

/** A local path ('/w/acme?range=last_7'), or '/' for anything else ('//evil.com', 'https://…', '/\\evil'). */
function safePath(value: FormDataEntryValue | null): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value.length > 2000 ? '/' : value;
}
