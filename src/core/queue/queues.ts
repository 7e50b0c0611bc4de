import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueName } from './jobs';

/** Every BullMQ queue of the system by name, for the services that add to any of them (the relay, the reconciler). */
@Injectable()
export class Queues {
  private readonly byName: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Cases) cases: Queue,
    @InjectQueue(QueueName.Takedowns) takedowns: Queue,
    @InjectQueue(QueueName.Mail) mail: Queue,
    @InjectQueue(QueueName.Inbound) inbound: Queue,
    @InjectQueue(QueueName.Privacy) privacy: Queue,
  ) {
    this.byName = {
      [QueueName.Cases]: cases,
      [QueueName.Takedowns]: takedowns,
      [QueueName.Mail]: mail,
      [QueueName.Inbound]: inbound,
      [QueueName.Privacy]: privacy,
    };
  }

  get(name: QueueName): Queue {
    return this.byName[name];
  }
}
