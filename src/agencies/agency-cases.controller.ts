import { Controller, Get, Header, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AgencyPrincipal } from './agency-keys.service';
import { AgencyCasesService } from './agency-cases.service';
import { AgencyGuard, CurrentAgency } from './agency.guard';
import { AgencyCaseQueryDto } from './dto/agency-case-query.dto';
import { AgencyCaseDetailDto, AgencyCaseListDto } from './dto/agency-case-response.dto';

/** An agency reads the cases it filed with its key, and no others. */
@ApiTags('agency')
@ApiBearerAuth('agency-key')
@ApiUnauthorizedResponse({ description: 'No agency key, or one that is not valid or was revoked.' })
@Controller('api/v1/agency/cases')
@UseGuards(AgencyGuard)
export class AgencyCasesController {
  constructor(private readonly cases: AgencyCasesService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: AgencyCaseListDto, description: "The agency's cases, newest first." })
  list(@CurrentAgency() agency: AgencyPrincipal, @Query() query: AgencyCaseQueryDto): Promise<AgencyCaseListDto> {
    return this.cases.list(agency.id, query);
  }

  @Get(':reference')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: AgencyCaseDetailDto })
  @ApiNotFoundResponse({ description: 'No case with this reference was filed with this key.' })
  async get(
    @CurrentAgency() agency: AgencyPrincipal,
    @Param('reference') reference: string,
  ): Promise<AgencyCaseDetailDto> {
    const kase = await this.cases.get(agency.id, reference);
    if (!kase) throw new NotFoundException(`No case ${reference} was filed with this agency key.`);
    return kase;
  }
}
