import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { logoutAction } from '../models/account.server';

// POST /logout ends the session. Only a POST: a link or an <img> on another
// page must not sign anyone out. A GET just goes home.
export async function action({ request, context }: ActionFunctionArgs) {
  return logoutAction(request, context);
}

export function loader() {
  return redirect('/');
}
