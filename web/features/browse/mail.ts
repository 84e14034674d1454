// Does a table look like mail? A table with a subject column, a sender column and a date column gets a message
// list and a reading pane. Names are matched loosely (mail stores name them msg_from, sender, date_hdr, …).

export interface MailColumns {
  subject: string;
  from: string;
  date: string;
  to: string | null;
  cc: string | null;
  body: string | null;
}

const pick = (cols: string[], res: RegExp[]): string | null => {
  for (const re of res) {
    const c = cols.find((x) => re.test(x));
    if (c) return c;
  }
  return null;
};

export function detectMail(columns: string[]): MailColumns | null {
  const subject = pick(columns, [/^subject$/i, /^(msg_|mail_|message_)?subject/i, /subject/i]);
  const from = pick(columns, [/^from$/i, /^(msg_|mail_|message_)?from(_addr(ess)?)?$/i, /^sender/i, /from/i]);
  const date = pick(columns, [/^date$/i, /^(msg_|mail_)?date(_hdr|_header)?$/i, /^(sent|received)_?(at|date|time)?$/i, /^internal_date$/i, /date/i, /time/i]);
  if (!subject || !from || !date) return null;
  const to = pick(columns, [/^to$/i, /^(msg_|mail_)?to(_addr(ess)?)?$/i, /^recipients?$/i]);
  const cc = pick(columns, [/^cc$/i, /^(msg_|mail_)?cc$/i]);
  const body = pick(columns, [/^body$/i, /^(msg_|mail_)?body(_text|_plain)?$/i, /^(text|content|snippet|preview)$/i]);
  return { subject, from, date, to, cc, body };
}
