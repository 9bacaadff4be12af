// Which pages each role sees, in the order of its navigation. The admin endpoint decides what each
// caller may read and do; the console only leaves out pages a role cannot use at all.

import type { ReactNode } from 'react';
import type { Words } from '../i18n.ts';
import { Applications } from './applications.tsx';
import { AppsAndKeys } from './apps.tsx';
import { AuditSearch } from './audit.tsx';
import { Catalogue } from './catalogue.tsx';
import { Inbox } from './inbox.tsx';
import { MyRecords } from './my-records.tsx';
import { Objections } from './objections.tsx';
import { Publications } from './publications.tsx';
import { Quality } from './quality.tsx';
import { Recipients } from './recipients.tsx';

export type Role = 'requester' | 'provider' | 'operator';

export interface Caller {
  kind: 'APP' | 'PRINCIPAL';
  appId: string | null;
  party: string | null;
  id: string | null;
  name: string | null;
  roles: string[];
}

export type PageId = 'catalogue' | 'applications' | 'inbox' | 'records' | 'objections' | 'recipients' | 'quality' | 'audit' | 'publications' | 'apps';

interface Page {
  id: PageId;
  title: keyof Words;
  roles: readonly Role[];
  render: (caller: Caller, role: Role) => ReactNode;
}

const PAGES: readonly Page[] = Object.freeze([
  { id: 'inbox', title: 'navInbox', roles: ['provider', 'operator'], render: (caller) => <Inbox caller={caller} /> },
  { id: 'catalogue', title: 'navCatalogue', roles: ['requester', 'provider', 'operator'], render: (_, role) => <Catalogue role={role} /> },
  { id: 'applications', title: 'navApplications', roles: ['requester'], render: () => <Applications /> },
  { id: 'records', title: 'navMyRecords', roles: ['requester'], render: () => <MyRecords /> },
  { id: 'objections', title: 'navObjections', roles: ['requester', 'provider', 'operator'], render: (_, role) => <Objections role={role} /> },
  { id: 'recipients', title: 'navRecipients', roles: ['provider', 'operator'], render: (caller) => <Recipients caller={caller} /> },
  { id: 'quality', title: 'navQuality', roles: ['provider', 'operator'], render: (caller) => <Quality caller={caller} /> },
  { id: 'audit', title: 'navAudit', roles: ['operator'], render: () => <AuditSearch /> },
  { id: 'publications', title: 'navPublications', roles: ['provider', 'operator'], render: (_, role) => <Publications role={role} /> },
  { id: 'apps', title: 'navApps', roles: ['operator'], render: () => <AppsAndKeys /> },
]);

export function pagesFor(role: Role): Page[] {
  return PAGES.filter((p) => p.roles.includes(role));
}
