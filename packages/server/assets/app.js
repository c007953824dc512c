// The agent page of sopflow: the runs and the live step, rendered from the JSON API.
// Plain JavaScript, no build step and nothing from outside this server.
const main = document.getElementById('main');
const page = main.dataset.view;
const runId = main.dataset.run;
const POLL_MS = 1500;

// ---- small helpers

/** h('p', { class: 'x' }, 'text', child): an element with attributes and children. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat())
    if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : String(child));
  return el;
}

const words = (id) => String(id).replace(/[-_]+/g, ' ');

/** 0:42, 3:05, 1:02:03 */
function clock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  const pad = (n) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let data;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && page !== 'login') {
      location.reload();
    }
    throw new ApiError(res.status, data?.error?.code ?? String(res.status), data?.error?.message ?? `the server answered ${res.status}`);
  }
  return data;
}

/** The alert region: refusals and errors, read out by screen readers. */
function alertBox() {
  let box = document.getElementById('alert');
  if (!box) {
    box = h('div', { id: 'alert', role: 'alert', class: 'alert', hidden: true });
    main.prepend(box);
  }
  return box;
}

function showError(error) {
  const box = alertBox();
  box.replaceChildren(
    h(
      'strong',
      {},
      error.status === 409
        ? 'Someone else moved this run. '
        : error.status === 403
          ? 'Not allowed. '
          : error.status
            ? 'Refused. '
            : 'Error. ',
    ),
    h('span', { class: 'message' }, error.message),
    error.code ? h('span', { class: 'code' }, ` (${error.code})`) : '',
  );
  box.hidden = false;
}

function clearError() {
  const box = document.getElementById('alert');
  if (box) {
    box.hidden = true;
    box.replaceChildren();
  }
}

// ---- who is signed in

async function showMe() {
  const slot = document.getElementById('me');
  if (!slot || page === 'login') return;
  try {
    const me = await api('GET', '/me');
    if (!me.secured) {
      slot.textContent = 'Local access (no sign-in)';
      return;
    }
    slot.replaceChildren(
      h('span', {}, `Signed in as ${me.actor}${me.roles.length ? ` (${me.roles.join(', ')})` : ''} `),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: async () => {
            await api('POST', '/logout').catch(() => {});
            location.href = '/';
          },
        },
        'Sign out',
      ),
    );
  } catch {
    // the page itself says what is wrong
  }
}

// ---- sign in

function renderLogin() {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    {
      class: 'card',
      onsubmit: async (event) => {
        event.preventDefault();
        clearError();
        try {
          await api('POST', '/login', { token: input.value });
          location.reload();
        } catch (error) {
          showError(error);
          input.focus();
        }
      },
    },
    h('p', {}, 'This server needs an access token. Your administrator gives you one.'),
    h('label', { for: 'token' }, 'Access token'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  main.append(form);
  input.focus();
}

// ---- the runs

function waitingOn(run) {
  if (run.status !== 'active') return run.status === 'done' ? `ended: ${run.outcome ?? ''}` : 'cancelled';
  const v = run.view;
  if (v.kind === 'wait') return `the signal “${v.until}”`;
  return v.role ?? 'anyone';
}

async function renderHome() {
  const sopSelect = h('select', { id: 'start-sop', name: 'sop', required: true });
  const reference = h('input', { id: 'start-ref', name: 'reference', type: 'text', autocomplete: 'off' });
  const startForm = h(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'start-title',
      onsubmit: async (event) => {
        event.preventDefault();
        clearError();
        try {
          const body = { sop: sopSelect.value };
          if (reference.value.trim()) body.meta = { reference: reference.value.trim() };
          const run = await api('POST', '/runs', body);
          location.href = `/runs/${encodeURIComponent(run.id)}/page`;
        } catch (error) {
          showError(error);
        }
      },
    },
    h('h2', { id: 'start-title' }, 'Start a run'),
    h('div', { class: 'field' }, h('label', { for: 'start-sop' }, 'SOP'), sopSelect),
    h('div', { class: 'field' }, h('label', { for: 'start-ref' }, 'Reference (a ticket or call id, optional)'), reference),
    h('button', { type: 'submit' }, 'Start'),
  );

  const status = h(
    'select',
    { id: 'filter-status' },
    h('option', { value: 'active' }, 'Active'),
    h('option', { value: 'done' }, 'Done'),
    h('option', { value: 'cancelled' }, 'Cancelled'),
    h('option', { value: '' }, 'All'),
  );
  const tbody = h('tbody');
  const table = h(
    'table',
    {},
    h('caption', {}, 'What waits on whom'),
    h('thead', {}, h('tr', {}, ...['Run', 'SOP', 'Step', 'Waiting on', 'Time limit', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))),
    tbody,
  );
  main.append(
    startForm,
    h(
      'section',
      { 'aria-labelledby': 'runs-title' },
      h('h2', { id: 'runs-title' }, 'Runs'),
      h('div', { class: 'field inline' }, h('label', { for: 'filter-status' }, 'Show'), status),
      table,
    ),
  );

  try {
    const { sops } = await api('GET', '/sops');
    for (const s of sops.filter((x) => x.newest).sort((a, b) => a.title.localeCompare(b.title))) {
      sopSelect.append(h('option', { value: s.id }, `${s.title} (${s.id}${s.version ? ` ${s.version}` : ''})`));
    }
  } catch (error) {
    showError(error);
  }

  async function refresh() {
    try {
      const { runs } = await api('GET', `/runs?limit=200${status.value ? `&status=${encodeURIComponent(status.value)}` : ''}`);
      tbody.replaceChildren(
        ...runs.map((run) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h(
                'a',
                { href: `/runs/${encodeURIComponent(run.id)}/page` },
                run.meta?.reference ? `${run.meta.reference} (${run.id.slice(0, 8)})` : run.id,
              ),
            ),
            h('td', {}, run.sop.title),
            h('td', {}, run.status === 'active' ? words(run.view.step) : '—'),
            h('td', {}, waitingOn(run)),
            h('td', {}, run.view.limit ? `${clock(run.view.limit.remaining)} left` : '—'),
            h('td', {}, when(run.updatedAt)),
          ),
        ),
      );
      if (runs.length === 0) tbody.append(h('tr', {}, h('td', { colspan: 6 }, 'No runs.')));
    } catch (error) {
      showError(error);
    }
  }
  status.addEventListener('change', refresh);
  await refresh();
  setInterval(refresh, 5000);
}

// ---- one run: the live step

const ENTRY_WORDS = {
  'step-entered': (e) => `entered “${words(e.step)}”`,
  'step-left': (e) => `finished “${words(e.step)}”`,
  answer: (e) => `answered “${e.answer ?? 'by the recorded data'}” at “${words(e.step)}”`,
  recorded: (e) =>
    `recorded ${Object.entries(e.data ?? {})
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ')}`,
  signal: (e) => `signal “${e.signal}” arrived`,
  'limit-fired': (e) => `time limit of ${e.after} on “${words(e.step)}” ran out`,
  'procedure-started': (e) => `started the procedure “${e.procedure}”`,
  'procedure-ended': (e) => `the procedure “${e.procedure}” ended: ${e.outcome ?? ''}`,
  'action-requested': (e) => `asked for the action ${e.action}`,
  'action-done': (e) => `the action ${e.action} is done`,
  'action-failed': (e) => `the action ${e.action} failed: ${e.error ?? ''}`,
  migrated: (e) => `moved to version ${e.to?.version ?? e.to?.hash?.slice(0, 8)}`,
  'run-ended': (e) => `the run ended: ${e.outcome}`,
  'run-cancelled': (e) => `the run was cancelled${e.reason ? `: ${e.reason}` : ''}`,
};

function fieldInput(field, id) {
  const common = { id, name: field.name, 'data-field': field.name, 'data-type': field.type };
  if (field.description) common['aria-describedby'] = `${id}-help`;
  if (field.required) common.required = true;
  const value = field.value;
  if (field.type === 'list') {
    // a list: several of the allowed items, or items typed with commas between them
    const items = field.items || { type: 'string' };
    const chosen = Array.isArray(value) ? value.map(String) : [];
    if (items.enum) {
      return h(
        'select',
        { ...common, multiple: true, size: String(Math.min(6, items.enum.length)) },
        ...items.enum.map((v) => h('option', { value: String(v), selected: chosen.includes(String(v)) }, String(v))),
      );
    }
    return h('input', {
      ...common,
      type: 'text',
      value: chosen.join(', '),
      placeholder: 'several, with commas between them',
      autocomplete: 'off',
    });
  }
  if (field.enum) {
    return h(
      'select',
      common,
      h('option', { value: '' }, 'Choose…'),
      ...field.enum.map((v) => h('option', { value: String(v), selected: value !== undefined && String(value) === String(v) }, String(v))),
    );
  }
  if (field.type === 'boolean') {
    return h(
      'select',
      common,
      h('option', { value: '' }, 'Choose…'),
      h('option', { value: 'true', selected: value === true }, 'Yes'),
      h('option', { value: 'false', selected: value === false }, 'No'),
    );
  }
  const type = field.type === 'number' || field.type === 'integer' ? 'number' : field.type === 'date' ? 'date' : 'text';
  return h('input', {
    ...common,
    type,
    value: value === undefined ? '' : String(value),
    step: field.type === 'integer' ? '1' : field.type === 'number' ? 'any' : undefined,
    min: field.minimum,
    max: field.maximum,
    autocomplete: 'off',
  });
}

/** The values typed that differ from what the run holds, typed for the API. */
function changedValues(form, fields) {
  const out = {};
  for (const field of fields) {
    const el = form.querySelector(`[data-field="${CSS.escape(field.name)}"]`);
    if (field.type === 'list' && el) {
      const items = field.items || { type: 'string' };
      const texts = el.multiple
        ? Array.from(el.selectedOptions).map((o) => o.value)
        : el.value
            .split(',')
            .map((t) => t.trim())
            .filter((t) => t !== '');
      const list = texts.map((t) => {
        const match = items.enum && items.enum.find((x) => String(x) === t);
        if (match !== undefined && match !== false) return match;
        if (items.type === 'number' || items.type === 'integer') return Number(t);
        if (items.type === 'boolean') return t === 'true';
        return t;
      });
      if (JSON.stringify(list) !== JSON.stringify(field.value || [])) out[field.name] = list;
      continue;
    }
    if (!el || el.value === '') continue;
    let v = el.value;
    if (field.enum) {
      const match = field.enum.find((x) => String(x) === v);
      v = match === undefined ? v : match;
    } else if (field.type === 'boolean') v = v === 'true';
    else if (field.type === 'number' || field.type === 'integer') v = Number(v);
    if (field.value === undefined || field.value !== v) out[field.name] = v;
  }
  return out;
}

/** Where a run stands, as the person sees it: status, the step and the steps around it. */
const where = (r) => JSON.stringify([r.status, r.view.step, r.view.sop, r.view.path]);

async function renderRun() {
  let run;
  let fetchedAt = 0;
  let busy = false;
  const title = main.querySelector('h1');
  const summary = h('p', { class: 'summary' });
  const now = h('section', { class: 'card now', 'aria-labelledby': 'now-title' });
  const journal = h('section', { 'aria-labelledby': 'journal-title' });
  const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'status' });
  main.append(summary, status, now, journal);

  async function act(moves) {
    if (busy) return;
    busy = true;
    clearError();
    try {
      for (const move of moves) {
        const seen = where(run);
        try {
          run = await api('POST', `/runs/${encodeURIComponent(runId)}/moves`, { ...move, expect: { revision: run.revision } });
        } catch (error) {
          // an action's result or a fired limit also counts as a revision: when the run is still
          // where the person saw it, the move is still meant; otherwise someone else moved it
          if (error.code !== 'stale') throw error;
          const fresh = await api('GET', `/runs/${encodeURIComponent(runId)}?journal=true`);
          if (where(fresh) !== seen) {
            run = fresh;
            fetchedAt = performance.now();
            render(false);
            throw error;
          }
          run = await api('POST', `/runs/${encodeURIComponent(runId)}/moves`, { ...move, expect: { revision: fresh.revision } });
        }
      }
      // the answer to a move has no journal: fetch the run with it
      run = await api('GET', `/runs/${encodeURIComponent(runId)}?journal=true`);
      fetchedAt = performance.now();
      render(true);
    } catch (error) {
      showError(error);
      await load().catch(() => {});
    } finally {
      busy = false;
    }
  }

  async function load() {
    const next = await api('GET', `/runs/${encodeURIComponent(runId)}?journal=true`);
    const changed = !run || next.revision !== run.revision;
    run = next;
    fetchedAt = performance.now();
    if (changed) render(false);
  }

  function limitText(limit) {
    const left = limit.remaining - (performance.now() - fetchedAt);
    return left > 0
      ? `${words(limit.step)}: ${clock(left)} left, then ${words(limit.next)}`
      : `${words(limit.step)}: time is up, then ${words(limit.next)}`;
  }

  function render(moved) {
    const v = run.view;
    title.textContent = run.sop.title;
    summary.textContent = `Run ${run.id} · version ${run.sop.version ?? run.sop.hash.slice(0, 8)} · ${run.status === 'active' ? 'active' : run.status === 'done' ? `ended: ${run.outcome}` : 'cancelled'} · revision ${run.revision}${run.pendingActions ? ` · ${run.pendingActions} action(s) running` : ''}`;
    const typed = {};
    for (const el of now.querySelectorAll('[data-field]')) if (el.value !== '') typed[el.dataset.field] = el.value;
    const sameStep = now.dataset.step === v.step && now.dataset.revision !== undefined;
    now.dataset.step = v.step;
    now.dataset.revision = String(run.revision);
    now.replaceChildren();

    if (run.status !== 'active') {
      now.append(
        h('h2', { id: 'now-title' }, run.status === 'done' ? 'This run has ended' : 'This run was cancelled'),
        run.status === 'done' ? h('p', { class: 'outcome' }, `Outcome: ${run.outcome}`) : '',
      );
    } else {
      now.append(
        h(
          'h2',
          { id: 'now-title' },
          v.kind === 'decision' ? 'Decide' : v.kind === 'wait' ? 'Wait' : v.kind === 'handoff' ? 'Hand off' : 'Now',
        ),
      );
      if (v.rules && v.rules.length)
        now.append(
          h(
            'aside',
            { class: 'rules', 'aria-label': 'Rules at every step' },
            h('strong', {}, 'Rules at every step'),
            h('ul', {}, ...v.rules.map((r) => h('li', {}, r))),
          ),
        );
      if (v.path.length) now.append(h('p', { class: 'path' }, `Inside: ${v.path.map((p) => words(p.procedure)).join(' › ')}`));
      now.append(h('p', { class: 'step-text', id: 'step-text' }, v.text));
      const facts = h('dl', { class: 'facts' });
      if (v.role) facts.append(h('dt', {}, 'For'), h('dd', { class: 'role' }, v.role));
      if (v.segment) facts.append(h('dt', {}, 'Segment'), h('dd', {}, v.segment));
      if (v.handoff)
        facts.append(
          h('dt', {}, v.handoff.mode === 'escalate' ? 'Escalate to' : 'Transfer to'),
          h('dd', { class: 'handoff' }, v.handoff.to),
        );
      if (facts.childElementCount) now.append(facts);
      if (v.note) now.append(h('p', { class: 'note' }, v.note));
      if (v.limit) now.append(h('p', { class: 'limit', role: 'timer', 'aria-live': 'off', id: 'limit' }, limitText(v.limit)));
      if (v.target)
        now.append(
          h(
            'p',
            { class: 'target' },
            v.target.onTime
              ? `Target: done within ${clock(v.target.ms)} (${clock(v.target.remaining)} left when this page was drawn)`
              : `Target: done within ${clock(v.target.ms)}: already missed`,
          ),
        );
      if (v.checks.length) now.append(h('ul', { class: 'checks', 'aria-label': 'Checks' }, ...v.checks.map((c) => h('li', {}, c))));

      const form = h('form', { class: 'fields', onsubmit: (event) => event.preventDefault() });
      if (v.fields.length) {
        const fieldset = h('fieldset', {}, h('legend', {}, 'Record'));
        v.fields.forEach((field, i) => {
          const id = `field-${i}`;
          const input = fieldInput(field, id);
          if (sameStep && typed[field.name] !== undefined) input.value = typed[field.name];
          fieldset.append(
            h(
              'div',
              { class: 'field' },
              h('label', { for: id }, field.label, field.required ? h('span', { class: 'req' }, ' (required)') : ''),
              input,
              field.description ? h('p', { class: 'help', id: `${id}-help` }, field.description) : '',
              field.enum ? h('p', { class: 'help allowed' }, `Allowed: ${field.enum.join(', ')}`) : '',
              field.type === 'list' && field.items && field.items.enum
                ? h('p', { class: 'help allowed' }, `Choose any of: ${field.items.enum.join(', ')}`)
                : '',
            ),
          );
        });
        fieldset.append(
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                const values = changedValues(form, v.fields);
                if (Object.keys(values).length) act([{ record: values }]);
              },
            },
            'Save',
          ),
        );
        form.append(fieldset);
      }
      const recordFirst = () => {
        const values = changedValues(form, v.fields);
        return Object.keys(values).length ? [{ record: values }] : [];
      };
      const buttons = h('div', { class: 'buttons', role: 'group', 'aria-label': 'Answers' });
      if (v.kind === 'decision') {
        for (const answer of v.choices)
          buttons.append(
            h('button', { type: 'button', class: 'answer', onclick: () => act([...recordFirst(), { choose: answer }]) }, answer),
          );
        if (!v.choices.length)
          buttons.append(h('p', {}, 'This decision is taken from the recorded data: record the fields above, then save.'));
      } else if (v.kind === 'wait') {
        now.append(h('p', { class: 'until' }, `Waiting for the signal “${v.until}”.`));
        buttons.append(
          h(
            'button',
            { type: 'button', onclick: () => act([...recordFirst(), { signal: v.until }]) },
            `It has happened: ${words(v.until)}`,
          ),
        );
      } else if (v.kind !== 'end') {
        buttons.append(
          h(
            'button',
            { type: 'button', class: 'done', onclick: () => act([...recordFirst(), { complete: true }]) },
            v.kind === 'handoff' ? 'Handed off' : 'Done',
          ),
        );
      }
      form.append(buttons);
      now.append(form);

      const reason = h('input', { id: 'cancel-reason', type: 'text', autocomplete: 'off' });
      now.append(
        h(
          'details',
          { class: 'cancel' },
          h('summary', {}, 'Cancel this run'),
          h('div', { class: 'field' }, h('label', { for: 'cancel-reason' }, 'Why'), reason),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: async () => {
                clearError();
                try {
                  await api('POST', `/runs/${encodeURIComponent(runId)}/cancel`, {
                    reason: reason.value || undefined,
                    expect: { revision: run.revision },
                  });
                  run = await api('GET', `/runs/${encodeURIComponent(runId)}?journal=true`);
                  fetchedAt = performance.now();
                  render(true);
                } catch (error) {
                  showError(error);
                }
              },
            },
            'Cancel the run',
          ),
        ),
      );
    }

    journal.replaceChildren(
      h('h2', { id: 'journal-title' }, 'Journal'),
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Who did what, oldest first'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Who'), h('th', { scope: 'col' }, 'What'))),
        h(
          'tbody',
          {},
          ...(run.journal ?? []).map((e) =>
            h(
              'tr',
              {},
              h('td', {}, when(e.at)),
              h('td', {}, e.by ?? (e.type === 'limit-fired' ? 'the clock' : '—')),
              h('td', {}, (ENTRY_WORDS[e.type] ?? ((x) => x.type))(e)),
            ),
          ),
        ),
      ),
    );

    status.textContent = run.status === 'active' ? `Now: ${words(v.step)}` : run.status === 'done' ? `Ended: ${run.outcome}` : 'Cancelled';
    if (moved) {
      const first = now.querySelector('input, select, button.answer, button.done, button');
      (first ?? now).focus?.();
    }
  }

  try {
    await load();
  } catch (error) {
    showError(error);
    return;
  }
  setInterval(() => {
    const el = document.getElementById('limit');
    if (el && run?.view.limit) el.textContent = limitText(run.view.limit);
  }, 250);
  // live: moves made elsewhere, fired limits and action results show up here
  setInterval(() => {
    if (!busy) load().catch(() => {});
  }, POLL_MS);
}

// ---- start

showMe();
if (page === 'login') renderLogin();
else if (page === 'run') renderRun();
else renderHome();
