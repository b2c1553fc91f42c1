// Strings of the API tokens page. Spread into messages/{en,uk,ru}.ts; `uk` and
// `ru` must have exactly the keys of `en`.

const en = {
  'tokens.title': 'API tokens',
  'tokens.create': 'Create a token',
  'tokens.createHelp':
    'An ingest token lets a site, a call-tracking service or a CRM send data to this workspace through /api/v1; a read token lets a script read reports. Give each sender its own token, so you can revoke one without the others.',
  'tokens.name': 'Name',
  'tokens.namePlaceholder': 'e.g. website, Binotel, Bitrix24',
  'tokens.scope': 'Scope',
  'tokens.scope.ingest': 'Ingest (send data)',
  'tokens.scope.read': 'Read (reports)',
  'tokens.createButton': 'Create token',
  'tokens.createdTitle': 'Token “{name}” created.',
  'tokens.createdOnce': 'Copy it now: it is stored only as a hash and cannot be shown again.',
  'tokens.token': 'Token',
  'tokens.list': 'Tokens',
  'tokens.none': 'No tokens yet.',
  'tokens.created': 'Created',
  'tokens.lastUsed': 'Last used',
  'tokens.never': 'never',
  'tokens.status': 'Status',
  'tokens.revoke': 'Revoke',
  'tokens.revokeNamed': 'Revoke token {name}',
  'tokens.revokedAt': 'revoked {when}',
  'tokens.apiHelp':
    'Send the token as “Authorization: Bearer <token>”, or as the writeKey of a Segment library (analytics.js, @segment/analytics-node) with its host set to this server and path /api/v1/batch.',
  'tokens.error.nameRequired': 'Name the token (where it is used).',
  'tokens.error.nameTooLong': 'At most 100 characters.',
  'tokens.error.scope': 'Choose ingest or read.',
};

const uk: typeof en = {
  'tokens.title': 'API-токени',
  'tokens.create': 'Створити токен',
  'tokens.createHelp':
    'Токен ingest дозволяє сайту, колтрекінгу чи CRM надсилати дані в цей простір через /api/v1; токен read дозволяє скрипту читати звіти. Дайте кожному відправнику власний токен, щоб відкликати один, не чіпаючи інших.',
  'tokens.name': 'Назва',
  'tokens.namePlaceholder': 'напр. сайт, Binotel, Bitrix24',
  'tokens.scope': 'Доступ',
  'tokens.scope.ingest': 'Ingest (надсилати дані)',
  'tokens.scope.read': 'Read (звіти)',
  'tokens.createButton': 'Створити токен',
  'tokens.createdTitle': 'Токен «{name}» створено.',
  'tokens.createdOnce': 'Скопіюйте його зараз: зберігається лише його хеш, показати його вдруге неможливо.',
  'tokens.token': 'Токен',
  'tokens.list': 'Токени',
  'tokens.none': 'Токенів ще немає.',
  'tokens.created': 'Створено',
  'tokens.lastUsed': 'Останнє використання',
  'tokens.never': 'ніколи',
  'tokens.status': 'Стан',
  'tokens.revoke': 'Відкликати',
  'tokens.revokeNamed': 'Відкликати токен {name}',
  'tokens.revokedAt': 'відкликано {when}',
  'tokens.apiHelp':
    'Надсилайте токен як «Authorization: Bearer <токен>» або як writeKey бібліотеки Segment (analytics.js, @segment/analytics-node) з host цього сервера і path /api/v1/batch.',
  'tokens.error.nameRequired': 'Назвіть токен (де він використовується).',
  'tokens.error.nameTooLong': 'Не більше 100 символів.',
  'tokens.error.scope': 'Оберіть ingest або read.',
};

const ru: typeof en = {
  'tokens.title': 'API-токены',
  'tokens.create': 'Создать токен',
  'tokens.createHelp':
    'Токен ingest позволяет сайту, коллтрекингу или CRM отправлять данные в это пространство через /api/v1; токен read позволяет скрипту читать отчёты. Дайте каждому отправителю свой токен, чтобы отозвать один, не трогая остальные.',
  'tokens.name': 'Название',
  'tokens.namePlaceholder': 'напр. сайт, Binotel, Bitrix24',
  'tokens.scope': 'Доступ',
  'tokens.scope.ingest': 'Ingest (отправлять данные)',
  'tokens.scope.read': 'Read (отчёты)',
  'tokens.createButton': 'Создать токен',
  'tokens.createdTitle': 'Токен «{name}» создан.',
  'tokens.createdOnce': 'Скопируйте его сейчас: хранится только его хеш, показать его повторно нельзя.',
  'tokens.token': 'Токен',
  'tokens.list': 'Токены',
  'tokens.none': 'Токенов пока нет.',
  'tokens.created': 'Создан',
  'tokens.lastUsed': 'Последнее использование',
  'tokens.never': 'никогда',
  'tokens.status': 'Состояние',
  'tokens.revoke': 'Отозвать',
  'tokens.revokeNamed': 'Отозвать токен {name}',
  'tokens.revokedAt': 'отозван {when}',
  'tokens.apiHelp':
    'Передавайте токен как «Authorization: Bearer <токен>» или как writeKey библиотеки Segment (analytics.js, @segment/analytics-node) с host этого сервера и path /api/v1/batch.',
  'tokens.error.nameRequired': 'Назовите токен (где он используется).',
  'tokens.error.nameTooLong': 'Не больше 100 символов.',
  'tokens.error.scope': 'Выберите ingest или read.',
};

export const tokensMessages = { en, uk, ru };
