// /containers: create, list, inspect, start, stop, restart, kill, wait, remove, logs,
// rename, pause, unpause, top, resize.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { contextFromHeaders } from '@berth/telemetry';
import { readLogEntries, type LogEntry } from '../../containers/json-log';
import type { ContainerManager } from '../../containers/manager';
import type { ExecManager } from '../../containers/exec';
import type { CreateConfig, HostConfig } from '../../containers/record';
import type { RecordStore } from '../../containers/record-store';
import type { EndpointConfig } from '../../network/settings';
import { containerInspect, containerSummary } from '../../containers/views';
import { invalidParameter } from '../errors';
import { booleanQuery, matchesLabels, parseFilters } from '../filters';
import { frame } from '../mux';
import { openStream } from '../stream-reply';

const run = promisify(execFile);
type Query = Record<string, string | undefined>;
type Params = { id: string };

export interface ContainerRouteDeps {
  engineVersion: string;
  containers: ContainerManager;
  execs: ExecManager;
  records: RecordStore;
}

const optionalNumber = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : Number(value);

export function containerRoutes(app: FastifyInstance, deps: ContainerRouteDeps) {
  const { containers } = deps;

  app.post('/containers/create', async (req, reply) => {
    const body = (req.body ?? {}) as CreateConfig & {
      HostConfig?: HostConfig;
      NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointConfig> | null };
    };
    const { HostConfig: hostConfig = {}, NetworkingConfig: networking, ...config } = body;
    const container = await containers.create(
      (req.query as Query).name || undefined,
      config,
      hostConfig,
      contextFromHeaders(req.headers),
      networking?.EndpointsConfig ?? {},
    );
    return reply.status(201).send({ Id: container.id, Warnings: [] });
  });

  app.get('/containers/json', async (req) => {
    const query = req.query as Query;
    const filters = parseFilters(query.filters, [
      'id',
      'name',
      'label',
      'status',
      'exited',
      'ancestor',
    ]);
    const all = booleanQuery(query.all) || filters.has('status') || filters.has('exited');
    const selected = containers.list().filter(({ record, running }) => {
      if (!all && !running) return false;
      const ids = filters.get('id');
      if (ids && !ids.some((id) => record.Id.startsWith(id))) return false;
      const names = filters.get('name');
      if (names && !names.some((n) => new RegExp(n).test(record.Name))) return false;
      const statuses = filters.get('status');
      if (statuses && !statuses.includes(record.State.Status)) return false;
      const exited = filters.get('exited');
      if (
        exited &&
        (record.State.Status !== 'exited' || !exited.includes(String(record.State.ExitCode)))
      )
        return false;
      return matchesLabels(filters, record.Config.Labels);
    });
    selected.sort((a, b) => Date.parse(b.record.Created) - Date.parse(a.record.Created));
    const limit = optionalNumber(query.limit);
    return (limit && limit > 0 ? selected.slice(0, limit) : selected).map((c) =>
      containerSummary(c, c.record.Config.Image ?? ''),
    );
  });

  app.get<{ Params: Params }>('/containers/:id/json', async (req) => {
    const container = containers.get(req.params.id);
    return containerInspect(
      container,
      { dir: deps.records.dir(container.id), logPath: containers.logPath(container.id) },
      deps.execs.idsOf(container),
    );
  });

  app.post<{ Params: Params }>('/containers/:id/start', async (req, reply) => {
    await containers.start(req.params.id);
    return reply.status(204).send();
  });

  app.post<{ Params: Params }>('/containers/:id/stop', async (req, reply) => {
    const query = req.query as Query;
    await containers.stop(req.params.id, optionalNumber(query.t), query.signal);
    return reply.status(204).send();
  });

  app.post<{ Params: Params }>('/containers/:id/restart', async (req, reply) => {
    await containers.restart(req.params.id, optionalNumber((req.query as Query).t));
    return reply.status(204).send();
  });

  app.post<{ Params: Params }>('/containers/:id/kill', async (req, reply) => {
    await containers.kill(req.params.id, (req.query as Query).signal || 'SIGKILL');
    return reply.status(204).send();
  });

  app.post<{ Params: Params }>('/containers/:id/wait', async (req, reply) => {
    const condition = (req.query as Query).condition || 'not-running';
    if (!['not-running', 'next-exit', 'removed'].includes(condition))
      throw invalidParameter(`invalid condition: "${condition}"`);
    const container = containers.get(req.params.id);
    const status = containers.wait(container, condition);
    const raw = openStream(reply, deps.engineVersion, 'application/json');
    raw.end(`${JSON.stringify(await status)}\n`);
  });

  app.delete<{ Params: Params }>('/containers/:id', async (req, reply) => {
    const query = req.query as Query;
    await containers.remove(req.params.id, {
      force: booleanQuery(query.force),
      volumes: booleanQuery(query.v),
    });
    return reply.status(204).send();
  });

  app.post<{ Params: Params }>('/containers/:id/rename', async (req, reply) => {
    const name = (req.query as Query).name;
    if (!name) throw invalidParameter('name cannot be empty');
    containers.rename(req.params.id, name);
    return reply.status(204).send();
  });

  app.post<{ Params: Params }>('/containers/:id/pause', async (req, reply) => {
    await containers.pause(req.params.id);
    return reply.status(204).send();
  });

  app.post<{ Params: Params }>('/containers/:id/unpause', async (req, reply) => {
    await containers.unpause(req.params.id);
    return reply.status(204).send();
  });

  app.post<{ Params: Params }>('/containers/:id/resize', async (req, reply) => {
    const query = req.query as Query;
    await containers.resize(req.params.id, Number(query.h ?? 0), Number(query.w ?? 0));
    return reply.status(200).send();
  });

  app.get<{ Params: Params }>('/containers/:id/top', async (req) => {
    const pids = new Set(await containers.pids(req.params.id));
    const psArgs = (req.query as Query).ps_args || '-ef';
    const { stdout } = await run('ps', psArgs.split(/\s+/));
    const [header = '', ...lines] = stdout.trimEnd().split('\n');
    const titles = header.trim().split(/\s+/);
    const pidColumn = titles.indexOf('PID');
    if (pidColumn < 0) throw invalidParameter(`Couldn't find PID field in ps output`);
    const processes = lines
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => pids.has(Number(fields[pidColumn])))
      .map((fields) => [
        ...fields.slice(0, titles.length - 1),
        fields.slice(titles.length - 1).join(' '),
      ]);
    containers.emit(containers.get(req.params.id), 'top');
    return { Titles: titles, Processes: processes };
  });

  app.get<{ Params: Params }>('/containers/:id/logs', async (req, reply) => {
    const query = req.query as Query;
    const container = containers.get(req.params.id);
    const streams = new Set([
      ...(booleanQuery(query.stdout) ? ['stdout'] : []),
      ...(booleanQuery(query.stderr) ? ['stderr'] : []),
    ]);
    if (streams.size === 0)
      throw invalidParameter('Bad parameters: you must choose at least one stream');
    const tty = !!container.record.Config.Tty;
    const since = optionalNumber(query.since) ?? 0;
    const until = optionalNumber(query.until) ?? 0;
    const tail = query.tail === undefined || query.tail === 'all' ? -1 : Number(query.tail);
    const timestamps = booleanQuery(query.timestamps);
    const follow = booleanQuery(query.follow) && container.running;
    const selected = (entry: LogEntry) => {
      const time = Date.parse(entry.time) / 1000;
      return streams.has(entry.stream) && time >= since && (!until || time <= until);
    };
    const encode = (entry: LogEntry) => {
      const payload = Buffer.from(timestamps ? `${entry.time} ${entry.log}` : entry.log);
      return tty ? payload : frame(entry.stream, payload);
    };
    const live: LogEntry[] = [];
    const unsubscribe = follow ? container.log?.subscribe((e) => live.push(e)) : undefined;
    const end = container.log?.size() ?? Number.MAX_SAFE_INTEGER;
    let entries = (await readLogEntries(containers.logPath(container.id), end)).filter(selected);
    if (tail >= 0) entries = tail === 0 ? [] : entries.slice(-tail);
    const raw = openStream(
      reply,
      deps.engineVersion,
      tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream',
    );
    for (const entry of entries) raw.write(encode(entry));
    if (!unsubscribe) return raw.end();
    unsubscribe();
    for (const entry of live.filter(selected)) raw.write(encode(entry));
    const stop = container.log!.subscribe((entry) => selected(entry) && raw.write(encode(entry)));
    const finish = () => {
      stop();
      raw.end();
    };
    void containers.wait(container, 'next-exit').then(finish);
    raw.on('close', stop);
  });
}
