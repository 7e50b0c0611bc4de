import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SoftwarePage } from './software-page.entity';

export enum DownloadLinkStatus {
  Live = 'live',
  TakenDown = 'taken_down',
}

/** A download on a catalog page, served through the redirector at /d/:id. */
@Entity('download_links')
export class DownloadLink {
  /** The number in /d/:id: the site's own, when the catalog import gives one. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Index() @Column('uuid') pageId!: string;
  @ManyToOne(() => SoftwarePage, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'page_id' }) page?: SoftwarePage;
  @Column('text', { default: '' }) label!: string;
  /** Where the redirector sends the browser: our mirror or a file at a storage provider. */
  @Column('text') targetUrl!: string;
  /** targetUrl normalised as reported links are, for matching notices against outbound links. */
  @Index() @Column('text') targetUrlNormalized!: string;
  @Column({
    type: 'enum',
    enum: DownloadLinkStatus,
    enumName: 'download_link_status',
    default: DownloadLinkStatus.Live,
  })
  status!: DownloadLinkStatus;
  @Column('text', { nullable: true }) takenDownCase!: string | null;
  @Column('timestamptz', { nullable: true }) takenDownAt!: Date | null;
}
