"""Account forms: sign-in, second factor, password change, and user administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from emulation.accounts.models import Role
from emulation.accounts.passwords import MAX_LENGTH

USERNAME = Regexp(
    r"^[A-Za-z0-9._-]+$", message=_l("Use letters without accents, digits, dots, - or _.")
)

# The shape of an address (no mail is sent, so no deliverability check): name@domain.tld.
EMAIL = Regexp(
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address like name@example.vn.")
)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Remember me on this device"), default=False)


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(), Length(max=20)],
    )


class TotpConfirmForm(FlaskForm):
    code = StringField(_l("6-digit code"), validators=[DataRequired(), Length(max=10)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l(
            "At least 8 characters mixing 3 kinds (lower-case, upper-case, digits, symbols),"
            " or a phrase of 15 characters or more, which is best. Common passwords are refused."
        ),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )


def role_choices() -> list[SelectChoice]:
    from emulation.labels import ROLE

    return [SelectChoice(role.value, str(ROLE[role])) for role in Role]


class UserForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(), Length(min=3, max=80), USERNAME]
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=200), EMAIL])
    unit_code = StringField(
        _l("Unit code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The unit the account belongs to, e.g. 01 or 00070."),
    )
    role = SelectField(_l("Role"), choices=[], validators=[Optional()])
    password = PasswordField(
        _l("Initial password"),
        validators=[Optional(), Length(max=MAX_LENGTH)],
        description=_l("Leave empty to generate one; it is shown once."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice("", str(_l("— no role yet —"))), *role_choices()]


class GrantForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[], default="viewer", validators=[DataRequired()])
    unit_code = StringField(_l("Scope (unit code)"), validators=[DataRequired(), Length(max=20)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or Excel file"),
        validators=[FileRequired(), FileAllowed(["csv", "xlsx"], _l("Only .csv or .xlsx files."))],
    )
