import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';

export interface ReasonTemplateView {
  id: string;
  title: string;
  body: string;
  archivedAt: Date | null;
  updatedAt: Date;
}

const COLUMNS = 'id, title, body, archived_at AS "archivedAt", updated_at AS "updatedAt"';

/** The rejection reasons staff choose from. Archived templates stay for the record and are no longer offered. */
@Injectable()
export class ReasonTemplatesService {
  constructor(private readonly dataSource: DataSource) {}

  list(includeArchived = false): Promise<ReasonTemplateView[]> {
    return this.dataSource.query<ReasonTemplateView[]>(
      `SELECT ${COLUMNS} FROM reason_templates WHERE $1 OR archived_at IS NULL ORDER BY archived_at NULLS FIRST, title`,
      [includeArchived],
    );
  }

  async create(title: string, body: string): Promise<ReasonTemplateView> {
    const [row] = await this.unique(title, () =>
      this.dataSource.query<ReasonTemplateView[]>(
        `INSERT INTO reason_templates (title, body) VALUES ($1, $2) RETURNING ${COLUMNS}`,
        [title.trim(), body.trim()],
      ),
    );
    return row;
  }

  async update(id: string, title: string, body: string): Promise<ReasonTemplateView> {
    const [row] = await this.unique(title, () =>
      this.dataSource.query<ReasonTemplateView[]>(
        `WITH changed AS (UPDATE reason_templates SET title = $2, body = $3, updated_at = now() WHERE id = $1
                          RETURNING *)
         SELECT ${COLUMNS} FROM changed`,
        [id, title.trim(), body.trim()],
      ),
    );
    if (!row) throw new NotFoundException(`No reason template ${id}.`);
    return row;
  }

  async archive(id: string): Promise<void> {
    const rows = await this.dataSource.query<unknown[]>(
      `WITH changed AS (UPDATE reason_templates SET archived_at = COALESCE(archived_at, now()) WHERE id = $1
                        RETURNING id)
       SELECT id FROM changed`,
      [id],
    );
    if (rows.length === 0) throw new NotFoundException(`No reason template ${id}.`);
  }

  private async unique<T>(title: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new ConflictException(`A reason template is already called "${title.trim()}".`);
      }
      throw error;
    }
  }
}
