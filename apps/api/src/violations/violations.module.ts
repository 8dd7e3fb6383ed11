import { Module } from '@nestjs/common';
import { WritesModule } from '../common/writes/writes.module';

// Use cases are added here, one folder each (see ../agreements for the pattern).
@Module({ imports: [WritesModule], controllers: [], providers: [] })
export class ViolationsModule {}
