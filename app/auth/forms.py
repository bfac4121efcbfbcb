from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.auth.password_policy import check_new_password
from app.core.errors import InvalidInput
from app.core.forms import StrictForm


class LoginForm(StrictForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(message=_l("Enter your email address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=1024)],
    )


class RedeemCodeForm(StrictForm):
    """A one-time code from the administrator, and the password the person chooses."""

    email = EmailField(
        _l("Email"),
        validators=[DataRequired(message=_l("Enter your email address.")), Length(max=254)],
    )
    code = StringField(
        _l("Code from your administrator"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=40)],
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Choose a password.")), Length(max=1024)],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(message=_l("Type the password a second time.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )

    def validate_password(self, field: PasswordField) -> None:
        """Said at once; the name is checked too once the code shows whose account it is."""
        try:
            check_new_password(field.data, [self.email.data])
        except InvalidInput as error:
            raise ValidationError(str(error.message)) from error


class CodeForm(StrictForm):
    """A code from the authenticator app (or, at login, a recovery code)."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=40)],
    )
