from django.contrib.auth import views as auth_views


class SignInView(auth_views.LoginView):
    """Sign-in. Django rotates the session key on login; django-axes counts failures per user+address."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
