// Start: drop files or whole folders, pick files or a folder, or open the demo case.
import { useRef, useState } from 'preact/hooks';
import { useStore, useT, caseTitle } from '../../store/store';
import { Icon } from '../../ui/icons';
import { fromDataTransfer, fromFileList, type PickedFile } from './files';
import { VerdictBadge } from '../../ui/widgets';

export function Start() {
  const s = useStore();
  const t = useT();
  const [over, setOver] = useState(false);
  const [reading, setReading] = useState(false);
  const folderRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const open = (files: PickedFile[]) => {
    if (!files.length) {
      s.ui.notify('error', t.t('No files were found in what was dropped.'));
      return;
    }
    void s.openFiles(files);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!e.dataTransfer) return;
    setReading(true);
    // Entries must be taken during the event (files.ts F4).
    void fromDataTransfer(e.dataTransfer).then((r) => {
      setReading(false);
      if (r.truncated) s.ui.notify('error', t.t('Only the first {n} files were taken.', { n: r.files.length }));
      for (const err of r.errors.slice(0, 3)) s.ui.notify('error', err);
      open(r.files);
    });
  };
  const recent = s.history.entries.value.slice(0, 4);
  return (
    <section class="start" aria-labelledby="start-title">
      <div class="start-intro">
        <h1 id="start-title">{t.t('Verify, rebuild and browse mail-store databases')}</h1>
        <p class="lead">
          {t.t('Give Palimpsest a SQLite database with its -wal or -journal, or a whole journal folder of snapshots and archived WAL generations. It checks every page and frame, tells you what can be restored, rebuilds the database at any commit, and lets you browse the result.')}
        </p>
        <p class="assurance">
          <Icon name="lock" size={16} /> {t.t('Everything runs in this page. Files are only read, never changed, and nothing is sent anywhere.')}
        </p>
      </div>
      <div
        class={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <Icon name="start" size={34} />
        <p class="drop-title">{reading ? t.t('Reading the folder…') : t.t('Drop files or folders here')}</p>
        <p class="muted">{t.t('Folders are read with everything inside them.')}</p>
        <div class="drop-actions">
          <button type="button" class="btn btn-primary" onClick={() => fileRef.current?.click()}>
            <Icon name="file" /> {t.t('Choose files…')}
          </button>
          <button type="button" class="btn" onClick={() => folderRef.current?.click()}>
            <Icon name="folder" /> {t.t('Choose a folder…')}
          </button>
          <button type="button" class="btn" data-testid="demo-case" onClick={() => void s.openDemo()}>
            <Icon name="play" /> {t.t('Open the demo case')}
          </button>
        </div>
        <input
          ref={fileRef}
          type="file"
          multiple
          class="sr-only"
          data-testid="file-input"
          aria-label={t.t('Choose files…')}
          onChange={(e) => {
            const el = e.currentTarget as HTMLInputElement;
            if (el.files?.length) open(fromFileList(el.files));
            el.value = '';
          }}
        />
        <input
          ref={folderRef}
          type="file"
          multiple
          class="sr-only"
          {...{ webkitdirectory: '' }}
          aria-label={t.t('Choose a folder…')}
          onChange={(e) => {
            const el = e.currentTarget as HTMLInputElement;
            if (el.files?.length) open(fromFileList(el.files));
            el.value = '';
          }}
        />
      </div>
      <div class="start-options">
        <label class="check">
          <input type="checkbox" checked={s.prefs.hash.value} onChange={(e) => s.prefs.setHash((e.currentTarget as HTMLInputElement).checked)} />
          {t.t('Compute the SHA-256 of every file')}
        </label>
        <label class="check">
          <input type="checkbox" checked={s.prefs.keepEvidence.value} onChange={(e) => s.prefs.setKeepEvidence((e.currentTarget as HTMLInputElement).checked)} />
          {t.t('Keep copies of the evidence in this browser so cases can be reopened from the history')}
        </label>
      </div>
      <div class="start-grid">
        <div class="card">
          <h2>{t.t('What it reads')}</h2>
          <ul class="plain">
            <li><b>SQLite</b> — {t.t('database files, -wal and -journal files, snapshots and archived WAL generations of a journal folder')}</li>
            <li><b>ESE</b> — {t.t('Microsoft ESE databases and transaction logs, where the installed plug-ins support them')}</li>
          </ul>
        </div>
        <div class="card">
          <h2>{t.t('Recent cases')}</h2>
          {recent.length ? (
            <ul class="plain recent">
              {recent.map((e) => (
                <li key={e.id}>
                  <span class="recent-name">{caseTitle(e.name, e.demo, t)}</span>
                  <VerdictBadge verdict={e.verdict} />
                  <span class="muted small">{t.date(e.openedAt)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t.t('No cases yet.')}</p>
          )}
          <button type="button" class="btn btn-link" onClick={() => s.ui.show('history')}>{t.t('Open the case history')}</button>
        </div>
      </div>
    </section>
  );
}
