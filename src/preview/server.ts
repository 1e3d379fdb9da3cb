import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { UsageError } from '../errors.js';
import { emptySummary } from '../plan/summarize-plan.js';
import type { Plan } from '../plan/types.js';
import { renderPreviewContent, renderPreviewPage } from '../report/render-page.js';
import { maskDiagnostic } from '../diagnostics/mask-phone.js';

export interface PreviewState {
  version: number;
  plan?: Plan;
  diagnostics: Diagnostic[];
  /** Why this run has no plan (shown as a banner; the last plan stays on the page). */
  failure?: string;
}

export interface PreviewServer {
  url: string;
  /** Publishes a new render to every open page (Server-Sent Events). */
  update(state: Omit<PreviewState, 'version'>): void;
  close(): Promise<void>;
}

const EMPTY_PLAN: Plan = {
  formatVersion: 1,
  createdAt: '',
  specs: [],
  contents: {},
  entries: [],
  summary: emptySummary(),
  inputs: { files: [], state: { location: '', sha256: '' } },
  options: { retryRejected: false, resendInDoubt: false, targets: [] },
  diagnostics: [],
};

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Only requests addressed to this server by name: a web page elsewhere that re-points its own
 * domain at 127.0.0.1 (DNS rebinding) must not read the preview.
 */
function allowedHost(req: IncomingMessage, host: string): boolean {
  if (host === '0.0.0.0' || host === '::') return true;
  const name = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return [...LOOPBACK_NAMES, host.toLowerCase()].includes(name);
}

/** A local page of every message; it updates itself when `update` is called. */
export async function startPreviewServer(options: {
  port: number;
  host: string;
}): Promise<PreviewServer> {
  let state: PreviewState = { version: 0, diagnostics: [] };
  const clients = new Set<ServerResponse>();
  const input = () => ({
    plan: state.plan ?? EMPTY_PLAN,
    diagnostics: state.diagnostics,
    mask: true,
    ...(state.failure ? { failure: state.failure } : {}),
  });

  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const headers = {
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (!allowedHost(req, options.host)) {
      res.writeHead(403, { ...headers, 'content-type': 'text/plain' }).end('forbidden host\n');
    } else if (req.method !== 'GET') {
      res.writeHead(405, { ...headers, allow: 'GET' }).end();
    } else if (url === '/') {
      const nonce = randomBytes(16).toString('base64');
      res
        .writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
        .end(renderPreviewPage({ ...input(), live: { nonce } }));
    } else if (url === '/api/preview') {
      const body = {
        version: state.version,
        html: renderPreviewContent(input()),
        summary: state.plan?.summary ?? null,
        diagnostics: state.diagnostics.map(maskDiagnostic),
      };
      res
        .writeHead(200, { ...headers, 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    } else if (url === '/events') {
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream',
        connection: 'keep-alive',
      });
      res.write(`retry: 1000\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
    } else {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new UsageError(
              `Cannot listen on ${options.host}:${options.port} (${error.code}).`,
              'Pick another port with --port, or --port 0 for any free one.',
            )
          : error,
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/`,
    update(next) {
      // A run that failed keeps the last plan on the page, under the failure banner.
      const plan = next.plan ?? (next.failure ? state.plan : undefined);
      state = { ...next, ...(plan ? { plan } : {}), version: state.version + 1 };
      for (const client of clients) client.write(`data: ${state.version}\n\n`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
