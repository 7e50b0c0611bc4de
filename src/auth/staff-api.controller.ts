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
  Patch,
  Post,
  UseGuards,
} from '@nestjs/common';
import { IsBoolean, IsEnum, IsOptional } from 'class-validator';
import { CreateApiTokenDto } from './dto/create-api-token.dto';
import { CreateStaffUserDto } from './dto/create-staff-user.dto';
import type { ApiTokenResponseDto, StaffUserResponseDto } from './dto/staff-response.dto';
import { ANY_STAFF, Roles } from './roles.decorator';
import {
  StaffAuthService,
  type StaffPrincipal,
  type AccountEventView,
  type StaffUserSummary,
} from './staff-auth.service';
import { CurrentStaff, StaffGuard } from './staff.guard';
import { StaffRole } from './staff-user.entity';

/** An admin's change to an account: its role, or whether it is disabled (which ends its sessions and tokens). */
export class UpdateStaffUserDto {
  @IsOptional() @IsEnum(StaffRole) role?: StaffRole;
  @IsOptional() @IsBoolean() disabled?: boolean;
}

export interface StaffUserListItemDto extends StaffUserResponseDto {
  disabledAt: string | null;
  createdAt: string;
  lastSeenAt: string | null;
}

@Controller('api/v1/staff')
@UseGuards(StaffGuard)
export class StaffApiController {
  constructor(private readonly auth: StaffAuthService) {}

  @Get('me')
  @Roles(...ANY_STAFF)
  me(@CurrentStaff() staff: StaffPrincipal): StaffUserResponseDto {
    return { id: staff.id, email: staff.email, name: staff.name, role: staff.role };
  }

  @Post('tokens')
  @Roles(...ANY_STAFF)
  async createToken(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() dto: CreateApiTokenDto,
  ): Promise<ApiTokenResponseDto> {
    const { token, plain } = await this.auth.createApiToken(staff.id, dto.name);
    return { id: token.id, name: token.name, createdAt: token.createdAt.toISOString(), token: plain };
  }

  @Delete('tokens/:id')
  @Roles(...ANY_STAFF)
  @HttpCode(HttpStatus.NO_CONTENT)
  async revokeToken(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    if (!(await this.auth.revokeApiToken(id, staff))) throw new NotFoundException('No such live token of yours.');
  }

  @Post('users')
  @Roles(StaffRole.Admin)
  async createUser(
    @Body() dto: CreateStaffUserDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<StaffUserResponseDto> {
    const user = await this.auth.createUser(dto.email, dto.name, dto.role, dto.password, staff.id);
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  }

  @Get('account-events')
  @Roles(StaffRole.Admin)
  accountEvents(): Promise<AccountEventView[]> {
    return this.auth.listAccountEvents();
  }

  @Get('users')
  @Roles(StaffRole.Admin)
  async listUsers(): Promise<StaffUserListItemDto[]> {
    return (await this.auth.listUsers()).map(userListItem);
  }

  @Patch('users/:id')
  @Roles(StaffRole.Admin)
  async updateUser(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateStaffUserDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<StaffUserListItemDto> {
    return userListItem(await this.auth.updateUser(id, dto, staff.id));
  }
}

function userListItem(user: StaffUserSummary): StaffUserListItemDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabledAt: user.disabledAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    lastSeenAt: user.lastSeenAt?.toISOString() ?? null,
  };
}
