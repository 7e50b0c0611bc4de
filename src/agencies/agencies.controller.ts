import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Agency } from './agency.entity';
import { AgencyKeysService } from './agency-keys.service';
import { AgencyResponseDto, CreateAgencyDto, CreatedAgencyResponseDto, TrustedFlaggerDto } from './dto/agency.dto';
import { Roles } from '../auth/roles.decorator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { StaffRole } from '../auth/staff-user.entity';

/** Admins give agencies their API keys, see them, and revoke them. */
@ApiTags('staff: agencies')
@ApiUnauthorizedResponse({ description: 'Not signed in and no staff API token.' })
@ApiForbiddenResponse({ description: 'Only admins manage agencies.' })
@Controller('api/v1/staff/agencies')
@UseGuards(StaffGuard)
@Roles(StaffRole.Admin)
export class AgenciesController {
  constructor(private readonly agencies: AgencyKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedAgencyResponseDto, description: 'The agency, with its key shown this once.' })
  async create(@CurrentStaff() staff: StaffPrincipal, @Body() dto: CreateAgencyDto): Promise<CreatedAgencyResponseDto> {
    const { agency, key } = await this.agencies.create(dto.name, dto.contactEmail, staff.id);
    return { ...toResponse(agency), key };
  }

  @Get()
  @ApiOkResponse({ type: [AgencyResponseDto], description: 'Every agency, revoked ones included, newest first.' })
  async list(): Promise<AgencyResponseDto[]> {
    return (await this.agencies.list()).map(toResponse);
  }

  @Post(':id/trusted-flagger')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AgencyResponseDto, description: 'The agency, now a trusted flagger (DSA Art. 22).' })
  @ApiNotFoundResponse({ description: 'No agency with this id.' })
  async trust(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: TrustedFlaggerDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<AgencyResponseDto> {
    const agency = await this.agencies.setTrustedFlagger(id, dto, staff.id);
    if (!agency) throw new NotFoundException('No agency with this id.');
    return toResponse(agency);
  }

  @Delete(':id/trusted-flagger')
  @ApiOkResponse({ type: AgencyResponseDto, description: 'The agency, no longer a trusted flagger.' })
  @ApiNotFoundResponse({ description: 'No agency with this id.' })
  async untrust(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<AgencyResponseDto> {
    const agency = await this.agencies.setTrustedFlagger(id, null, staff.id);
    if (!agency) throw new NotFoundException('No agency with this id.');
    return toResponse(agency);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: "The agency's key is revoked; its cases stay." })
  @ApiNotFoundResponse({ description: 'No agency with this id and a live key.' })
  async revoke(@Param('id', new ParseUUIDPipe()) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    if (!(await this.agencies.revoke(id, staff.id)))
      throw new NotFoundException('No agency with this id and a live key.');
  }
}

function toResponse(agency: Agency): AgencyResponseDto {
  return {
    id: agency.id,
    name: agency.name,
    contactEmail: agency.contactEmail,
    createdAt: agency.createdAt.toISOString(),
    lastUsedAt: agency.lastUsedAt?.toISOString() ?? null,
    revokedAt: agency.revokedAt?.toISOString() ?? null,
    trustedFlagger: agency.trustedFlaggerSince
      ? {
          since: agency.trustedFlaggerSince.toISOString(),
          authority: agency.trustedFlaggerAuthority ?? '',
          area: agency.trustedFlaggerArea ?? '',
        }
      : null,
  };
}
