import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandExecutor } from './command-executor';
import { AFTER_APPEND_PROVIDER, ProjectionWaker } from './projection-waker';
import { StreamReader } from './stream-reader';

/** What every write use case needs: the CommandBus, the executor and the projections' wake-up. */
@Module({
  imports: [CqrsModule],
  providers: [ProjectionWaker, AFTER_APPEND_PROVIDER, CommandExecutor, StreamReader],
  exports: [CqrsModule, CommandExecutor, StreamReader],
})
export class WritesModule {}
