/**
 * Triton's model repository extension over HTTP: `POST /v2/repository/index`, and with
 * `--model-control explicit`, `POST /v2/repository/models/{name}/load` and `/unload`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ModelRepository } from '../repository.js';

type NameParams = { Params: { name: string } };

/** Registers the repository extension routes over a ModelRepository. */
export async function repositoryRoutes(
  app: FastifyInstance,
  opts: { repository: ModelRepository },
): Promise<void> {
  const { repository } = opts;
  // Clients send `{}` or `{ "ready": true }` (only loaded models), or nothing at all.
  app.post('/v2/repository/index', async (req: FastifyRequest) => {
    const body = (req.body ?? {}) as { ready?: unknown };
    const all = repository.index();
    return body.ready === true ? all.filter((e) => e.state === 'READY') : all;
  });
  app.post('/v2/repository/models/:name/load', async (req: FastifyRequest<NameParams>) => {
    await repository.load(req.params.name);
    return {};
  });
  app.post('/v2/repository/models/:name/unload', async (req: FastifyRequest<NameParams>) => {
    await repository.unload(req.params.name);
    return {};
  });
}
