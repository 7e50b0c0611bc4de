import { IsEmail, IsEnum, IsString, MaxLength, MinLength } from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '../staff-auth.service';
import { StaffRole } from '../staff-user.entity';

export class CreateStaffUserDto {
  @IsEmail() @MaxLength(254) email!: string;
  @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @IsEnum(StaffRole) role!: StaffRole;
  @IsString() @MinLength(MIN_PASSWORD_LENGTH) @MaxLength(1024) password!: string;
}
