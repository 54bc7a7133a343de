"""Loss functions evaluated in float64, with their derivatives.

Arguments follow the Keras names: ``y_pred`` is the network output (probabilities,
logits or log-probabilities), ``y_true`` the label. See ``reduction`` for the
reductions and sample weights every loss takes.
"""

from reference.losses.binary import (
    binary_crossentropy,
    binary_crossentropy_vjp,
    sigmoid_cross_entropy_with_logits,
    sigmoid_cross_entropy_with_logits_vjp,
    torch_binary_crossentropy_vjp,
    weighted_sigmoid_cross_entropy,
    weighted_sigmoid_cross_entropy_vjp,
)
from reference.losses.combined import two_output_loss, two_output_loss_vjp
from reference.losses.categorical import (
    categorical_crossentropy,
    categorical_crossentropy_vjp,
    cross_entropy_delta,
    nll_loss,
    nll_loss_vjp,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_vjp,
    sparse_categorical_crossentropy,
    sparse_categorical_crossentropy_vjp,
)
from reference.losses.divergence import (
    cosine_similarity,
    cosine_similarity_vjp,
    kl_divergence,
    kl_divergence_log_input,
    kl_divergence_log_input_vjp,
    kl_divergence_vjp,
)
from reference.losses.reduction import REDUCTIONS
from reference.losses.regression import (
    hinge,
    hinge_vjp,
    huber,
    huber_vjp,
    log_cosh,
    log_cosh_vjp,
    mean_absolute_error,
    mean_absolute_error_vjp,
    mse_half_sum,
    mse_half_sum_vjp,
    mse_mean,
    mse_mean_vjp,
    poisson,
    poisson_vjp,
    smooth_l1,
    smooth_l1_vjp,
    squared_hinge,
    squared_hinge_vjp,
)

__all__ = [name for name in dir() if not name.startswith("_")]
