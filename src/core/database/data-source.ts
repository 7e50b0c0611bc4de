import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { DatabaseEnv } from '../config/database-env';
import { validateEnv } from '../config/validate-env';
import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI (migration:generate, migration:run). */
export default new DataSource(dataSourceOptions(validateEnv(DatabaseEnv).DATABASE_URL));
