// The JSON API's answers to bad requests (docs/UI.md): unknown ids are 404 naming them, malformed parameters 400
// naming the parameter and its value; errors are {"error": ...} in application/json. And /api/events: clients that
// hang up mid-stream leave the server serving, and a new stream still gets the changes another process commits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, seed, getJson } from '../lib/env.mjs';
import { logFromAnotherProcess } from '../lib/logger.mjs';

const JSON_TYPE = /^application\/json;\s*charset=utf-8$/i;

async function expectError(path, status, ...mentions) {
  const r = await getJson(path);
  assert.equal(r.status, status, `${path}: status (${JSON.stringify(r.body)})`);
  assert.match(r.type ?? '', JSON_TYPE, `${path}: content type`);
  assert.equal(typeof r.body.error, 'string', `${path}: {"error": message}, got ${JSON.stringify(r.body)}`);
  for (const m of mentions) assert.ok(r.body.error.includes(m), `${path}: the message "${r.body.error}" names ${m}`);
}

test('projects and runs answer as documented', async () => {
  const p = await getJson('api/projects');
  assert.equal(p.status, 200);
  assert.match(p.type, JSON_TYPE);
  assert.deepEqual([...p.body.projects].sort(), [...seed.projects].sort());
  const all = await getJson('api/runs');
  assert.equal(all.body.total, seed.runCount);
  const page1 = await getJson('api/runs?limit=5'), page2 = await getJson('api/runs?limit=5&offset=5');
  assert.deepEqual([...page1.body.runs, ...page2.body.runs].map((r) => r.id), all.body.runs.slice(0, 10).map((r) => r.id), 'paging');
  const cifar = await getJson('api/runs?project=cifar');
  assert.deepEqual(cifar.body.runs.map((r) => r.id).sort(), seed.runs.filter((r) => r.project === 'cifar').map((r) => r.id).sort());
});

test('unknown run and sweep ids are 404 naming them', async () => {
  await expectError('api/runs/nosuchrun', 404, 'nosuchrun');
  await expectError('api/runs/nosuchrun/history?key=loss', 404, 'nosuchrun');
  await expectError('api/sweeps/nosuchswp', 404, 'nosuchswp');
  await expectError(`api/runs/${seed.spike.id}/history?key=nosuchkey`, 404, 'nosuchkey');
});

test('malformed parameters are 400 naming the parameter and its value', async () => {
  await expectError('api/runs?limit=abc', 400, 'limit', 'abc');
  await expectError('api/runs?limit=0', 400, 'limit', '0');
  await expectError('api/runs?limit=1001', 400, 'limit', '1001');
  await expectError('api/runs?offset=-3', 400, 'offset', '-3');
  await expectError('api/runs?sort=bogus', 400, 'bogus');
  await expectError(`api/runs?filter=${encodeURIComponent('state = ')}`, 400);
  await expectError(`api/runs?filter=${encodeURIComponent('(state = running')}`, 400);
  const h = `api/runs/${seed.spike.id}/history?key=loss`;
  await expectError(`${h}&buckets=0`, 400, 'buckets', '0');
  await expectError(`${h}&buckets=100001`, 400, 'buckets', '100001');
  await expectError(`${h}&buckets=many`, 400, 'buckets', 'many');
  await expectError(`${h}&from=x1`, 400, 'from', 'x1');
  await expectError(`${h}&from=500&to=100`, 400);
  await expectError('api/events?since=yesterday', 400, 'since', 'yesterday');
});

test('a keyword is no filter value: unquoted and/or/not after an operator is malformed', async () => {
  // quoted, "and" is a value (RunFilter's tokens); bare, `config.lr >= and` would silently match nothing
  await expectError(`api/runs?filter=${encodeURIComponent('config.lr >= and')}`, 400, 'and');
  await expectError(`api/runs?filter=${encodeURIComponent('name = or')}`, 400, 'or');
  const quoted = await getJson(`api/runs?filter=${encodeURIComponent('name = "and"')}`);
  assert.equal(quoted.status, 200, JSON.stringify(quoted.body));
});

/** The events in a text/event-stream text: [{ event, data (parsed JSON when it is) }]. */
function parseEvents(text) {
  return text.split(/\r?\n\r?\n/).filter((block) => block.trim()).map((block) => {
    let event = 'message', data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    try {
      return { event, data: JSON.parse(data.join('\n')) };
    } catch {
      return { event, data: data.join('\n') };
    }
  });
}

/** Opens /api/events, reads for up to `ms` ms (or until `until(text)`), hangs up; returns what it read. */
async function readEvents(query, ms, until = () => false) {
  const abort = new AbortController();
  const res = await fetch(new URL(`api/events${query}`, baseUrl), { signal: abort.signal, headers: { accept: 'text/event-stream' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = res.body.getReader(), decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline && !until(text)) {
      const chunk = await Promise.race([reader.read(), new Promise((r) => setTimeout(() => r({ timeout: true }), deadline - Date.now()))]);
      if (chunk.timeout || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    abort.abort();
  }
  return text;
}

test('clients hanging up mid-stream on /api/events do not hurt the server', async () => {
  const cursor = (await getJson('api/runs?limit=1')).body.cursor;
  for (let i = 0; i < 12; i++) await readEvents(`?since=${cursor}&run=${seed.live.id}`, 300);
  // some hang up before reading anything at all
  await Promise.all(Array.from({ length: 8 }, async () => {
    const abort = new AbortController();
    const res = await fetch(new URL(`api/events?since=${cursor}`, baseUrl), { signal: abort.signal });
    assert.equal(res.status, 200);
    abort.abort();
  }));
  const started = Date.now();
  const p = await getJson('api/projects');
  assert.equal(p.status, 200);
  assert.ok(Date.now() - started < 2000, `/api/projects answered in ${Date.now() - started} ms after the hang-ups`);

  // and a new stream still gets what another process commits: a runs event with the run's new last step
  const { id, lastStep } = seed.otherLive;
  const fresh = (await getJson('api/runs?limit=1')).body.cursor;
  const seen = (text) => parseEvents(text).some((e) => e.data?.runs?.some((r) => r.id === id && r.lastStep === lastStep + 1));
  const events = readEvents(`?since=${fresh}`, 20_000, seen);
  await logFromAnotherProcess(id, lastStep + 1, { loss: 0.5 });
  const text = await events;
  assert.ok(seen(text), `a runs event for ${id} at step ${lastStep + 1}; the stream sent: ${text.slice(0, 500)}`);
});
