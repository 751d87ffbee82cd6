import { Module } from '@nestjs/common';
import { CommandsModule } from '../shell/commands.module.js';
import { BuildsController } from './builds.controller.js';
import { BuildByIdHandler, MyBuildsHandler } from './builds.query.js';
import { CatalogReferences } from './catalog-references.js';
import { CreateBuildHandler } from './create-build.command.js';
import { UpdateBuildHandler } from './update-build.command.js';
import { DeleteBuildHandler } from './delete-build.command.js';
import { ShareBuildController } from './share-build.controller.js';

@Module({
  imports: [CommandsModule],
  controllers: [BuildsController, ShareBuildController],
  providers: [CreateBuildHandler, UpdateBuildHandler, DeleteBuildHandler, CatalogReferences, BuildByIdHandler, MyBuildsHandler],
})
export class BuildsModule {}
