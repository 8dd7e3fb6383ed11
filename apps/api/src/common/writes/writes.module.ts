import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandExecutor } from './command-executor';
import { StreamReader } from './stream-reader';

/** What every write use case needs: the CommandBus and the executor. */
@Module({
  imports: [CqrsModule],
  providers: [CommandExecutor, StreamReader],
  exports: [CqrsModule, CommandExecutor, StreamReader],
})
export class WritesModule {}
